/** What one probe attempt found; `output` goes into the Unhealthy event ("Liveness probe failed: <output>"). */
export interface ProbeResult { ok: boolean; output: string }

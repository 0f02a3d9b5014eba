/**
 * CSR signing controller (upstream csrsigning, for kube-apiserver-client and
 * kube-apiserver-client-kubelet): approved requests get status.certificate, signed by the
 * cluster CA (`ctx.options.ca`), through the /status subresource; requests the signer refuses
 * get a `Failed` condition instead. Without a CA the controller does nothing. Level-based:
 * issued, failed, denied and pending requests are done; NotFound is done.
 */
import type { KubeObject } from '../../api/object.js';
import { keyOf } from '../../api/object.js';
import { isApiError } from '../../api/status.js';
import type { Informer } from '../../client/informer.js';
import type { CaPair } from '../../pki/issue-cert.js';
import { signCsr } from '../../pki/sign-csr.js';
import type { ControllerContext } from '../../controller-manager/controller-context.js';
import type { Runnable } from '../../controller-manager/runnable.js';
import { Controller } from '../controller.js';
import type { ObjectKey, ReconcileResult, Reconciler } from '../controller.js';
import { CSRS, parsedRequest } from '../shared/csr.js';
import type { Csr } from '../shared/csr.js';
import { signingPlan, wantsToSign } from './signing-plan.js';

const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

class CsrSignerReconciler implements Reconciler {
  constructor(private readonly ctx: ControllerContext, private readonly ca: CaPair, private readonly csrs: Informer<Csr>) {}

  async reconcile(key: ObjectKey): Promise<ReconcileResult> {
    const cached = this.csrs.cache.get(key);
    if (!cached || !wantsToSign(cached)) return;
    const log = this.ctx.log.child({ csr: key });
    const req = parsedRequest(cached);
    const plan = signingPlan(cached, req);
    if (plan.action === 'ignore') return;
    const csr = structuredClone(cached);
    const now = this.ctx.clock.now();
    if (plan.action === 'fail') {
      csr.status = {
        ...csr.status,
        conditions: [...(csr.status?.conditions ?? []), {
          type: 'Failed', status: 'True', reason: plan.reason, message: plan.message, lastUpdateTime: rfc3339(now),
        }],
      };
      await this.write(key, csr);
      log.info({ reason: plan.reason, message: plan.message }, 'Refused to sign certificate signing request');
      return;
    }
    let pem: string;
    try {
      pem = await signCsr(this.ca, req, { usages: csr.spec.usages ?? [], durationMs: plan.durationMs, now });
    } catch (err) {
      throw new Error(`sign certificate signing request ${key}`, { cause: err });
    }
    csr.status = { ...csr.status, certificate: Buffer.from(pem).toString('base64') };
    await this.write(key, csr);
    log.info({ requestor: csr.spec.username, signer: csr.spec.signerName, durationMs: plan.durationMs }, 'Signed certificate signing request');
  }

  private async write(key: ObjectKey, csr: Csr): Promise<void> {
    try {
      await this.ctx.client.update(CSRS, csr, { subresource: 'status' });
    } catch (err) {
      if (isApiError(err) && err.code === 404) return;
      throw new Error(`update status of certificate signing request ${key}`, { cause: err });
    }
  }
}

export function createCsrSignerController(ctx: ControllerContext): Runnable {
  const ca = ctx.options.ca;
  if (!ca) {
    return {
      run: (signal) => new Promise<void>((resolve) => {
        if (signal.aborted) resolve();
        else signal.addEventListener('abort', () => resolve(), { once: true });
      }),
    };
  }
  const csrs = ctx.informers.for<Csr>(CSRS);
  const controller = new Controller({
    name: 'csrsigning', workers: 1, log: ctx.log,
    reconciler: new CsrSignerReconciler(ctx, { caCertPem: ca.certPem, caKeyPem: ca.keyPem }, csrs),
    watches: [{ informer: csrs as Informer<KubeObject>, toKeys: (o) => [keyOf(o)] }],
  });
  return { run: (signal) => controller.run(signal) };
}

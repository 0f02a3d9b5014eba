/** A WebhookTransport for unit tests: answers from a function of the target and review, records every call. */
import type { WebhookTarget, WebhookTransport } from './webhook-transport.js';

export interface FakeCall { target: WebhookTarget; review: { request: Record<string, unknown> }; timeoutMs: number }

export class FakeTransport implements WebhookTransport {
  readonly calls: FakeCall[] = [];
  constructor(private readonly answer: (call: FakeCall) => Record<string, unknown> | Error) {}

  async post(target: WebhookTarget, body: unknown, timeoutMs: number): Promise<unknown> {
    const call = { target, review: body as FakeCall['review'], timeoutMs };
    this.calls.push(call);
    const res = this.answer(call);
    if (res instanceof Error) throw res;
    return { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: call.review.request['uid'], ...res } };
  }
}

/** CSR signer names: `<domain>/<path>`, as upstream's core validation ValidateSignerName checks them. */
import type { FieldError } from '../status.js';
import { invalid, required, tooLong } from './field-errors.js';
import { isDNS1123Label, isDNS1123Subdomain } from './names.js';

const DNS1123_SUBDOMAIN_MAX = 253;
const DNS1123_LABEL_MAX = 63;

export function validateSignerName(field: string, signerName: string): FieldError[] {
  if (signerName === '') return [required(field)];
  const segments = signerName.split('/');
  if (segments.length !== 2) {
    return [invalid(field, signerName, "must be a fully qualified domain and path of the form 'example.com/signer-name'")];
  }
  const [domain = '', path = ''] = segments;
  const errs: FieldError[] = [];
  if (domain.length > DNS1123_SUBDOMAIN_MAX) errs.push(tooLong(field, DNS1123_SUBDOMAIN_MAX));
  const domainLabels = domain.split('.');
  for (const lbl of domainLabels) {
    const msgs = isDNS1123Label(lbl);
    if (msgs.length > 0) {
      errs.push(...msgs.map((m) => invalid(field, domain, `validating label "${lbl}": ${m}`)));
      break;
    }
  }
  if (domainLabels.length < 2) errs.push(invalid(field, domain, 'should be a domain with at least two segments separated by dots'));
  for (const lbl of path.split('.')) {
    const msgs = isDNS1123Subdomain(lbl);
    if (msgs.length > 0) {
      errs.push(...msgs.map((m) => invalid(field, path, `validating label "${lbl}": ${m}`)));
      break;
    }
  }
  const maxLen = DNS1123_SUBDOMAIN_MAX + (DNS1123_SUBDOMAIN_MAX + DNS1123_LABEL_MAX + 1) + 1;
  if (signerName.length > maxLen) errs.push(tooLong(field, maxLen));
  return errs;
}

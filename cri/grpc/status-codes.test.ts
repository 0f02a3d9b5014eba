import { Metadata, status as Code, type ServiceError } from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { CriError, type CriErrorKind } from '../errors.js';
import { codeOfKind, criErrorFromGrpc, grpcStatusFromError, kindOfCode } from './status-codes.js';

function serviceError(code: Code, details: string): ServiceError {
  return Object.assign(new Error(`${code} ${Code[code]}: ${details}`), { code, details, metadata: new Metadata() });
}

describe('gRPC status <-> CriError', () => {
  it.each<[Code, CriErrorKind]>([
    [Code.NOT_FOUND, 'NotFound'], [Code.ALREADY_EXISTS, 'AlreadyExists'], [Code.UNAVAILABLE, 'Unavailable'],
    [Code.DEADLINE_EXCEEDED, 'DeadlineExceeded'], [Code.INVALID_ARGUMENT, 'InvalidArgument'], [Code.UNIMPLEMENTED, 'Unimplemented'],
    [Code.FAILED_PRECONDITION, 'FailedPrecondition'], [Code.UNKNOWN, 'Unknown'], [Code.INTERNAL, 'Unknown'],
  ])('code %s is kind %s', (code, kind) => {
    expect(kindOfCode(code)).toBe(kind);
    const e = criErrorFromGrpc(serviceError(code, 'container "x" not found'), 'container status x');
    expect(e).toBeInstanceOf(CriError);
    expect(e.kind).toBe(kind);
    expect(e.message).toBe('container status x: container "x" not found');
  });

  it.each<CriErrorKind>(['NotFound', 'AlreadyExists', 'Unavailable', 'DeadlineExceeded', 'InvalidArgument', 'Unimplemented', 'FailedPrecondition', 'Unknown'])(
    'kind %s survives server -> client', (kind) => {
      const st = grpcStatusFromError(new CriError(kind, 'stop container x: boom'));
      expect(st.code).toBe(codeOfKind(kind));
      expect(criErrorFromGrpc(serviceError(st.code, st.details), 'call').kind).toBe(kind);
    });

  it('a plain error is UNKNOWN with its message; a CriError passes the client edge unchanged', () => {
    expect(grpcStatusFromError(new Error('disk full'))).toMatchObject({ code: Code.UNKNOWN, details: 'disk full' });
    const ce = new CriError('NotFound', 'x');
    expect(criErrorFromGrpc(ce, 'y')).toBe(ce);
    expect(criErrorFromGrpc(new Error('socket closed'), 'version').kind).toBe('Unknown');
  });
});

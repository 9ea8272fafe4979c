import { describe, expect, it } from 'vitest';
import { createLogger, redactSipText, type LogRecord } from './logger';

const REGISTER = [
  'REGISTER sip:ringlet.test SIP/2.0',
  'Authorization: Digest username="alice", realm="ringlet.test", nonce="n", response="0123456789abcdef0123456789abcdef"',
  'proxy-authorization : Digest response="feedface", username="bob"',
  'Call-ID: c1',
  '',
  'Authorization: a body line is not a header',
].join('\r\n');

describe('redactSipText: credentials never reach a sink (STYLE.md habit 13)', () => {
  it('masks Authorization and Proxy-Authorization values, keeping the scheme and the username', () => {
    const lines = redactSipText(REGISTER).split('\r\n');
    expect(lines[1]).toBe('Authorization: Digest username="alice", [redacted]');
    expect(lines[2]).toBe('proxy-authorization : Digest username="bob", [redacted]');
    expect(lines[3]).toBe('Call-ID: c1');
  });

  it('leaves the body and texts without credentials unchanged', () => {
    expect(redactSipText(REGISTER).endsWith('\r\n\r\nAuthorization: a body line is not a header')).toBe(true);
    expect(redactSipText('OPTIONS sip:a SIP/2.0\nCall-ID: x\n\n')).toBe(
      'OPTIONS sip:a SIP/2.0\nCall-ID: x\n\n',
    );
  });

  it('masks the folded continuation lines of the field too (§7.3.1)', () => {
    const folded =
      'Authorization: Digest username="alice",\r\n  response="0123456789abcdef"\r\nCall-ID: c\r\n';
    expect(redactSipText(folded)).toBe(
      'Authorization: Digest username="alice", [redacted]\r\nCall-ID: c\r\n',
    );
  });

  it('masks a single header line, and one without a username', () => {
    expect(redactSipText('Authorization: Basic YWxpY2U6c2VjcmV0')).toBe('Authorization: Basic [redacted]');
  });
});

describe('createLogger', () => {
  const capture = (minLevel: 'debug' | 'warn' = 'debug') => {
    const records: LogRecord[] = [];
    return { records, log: createLogger((r) => records.push(r), 'ringlet', minLevel) };
  };

  it('formats `message [key:value]`, masks secret-looking keys and redacts SIP text in details', () => {
    const { records, log } = capture();
    log.child('ua').info('sent', { status: 200, password: 'hunter2', trace: REGISTER });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ level: 'info', category: 'ringlet.ua' });
    expect(records[0]?.message).toMatch(/^sent \[status:200\] \[password:\*\*\*\] \[trace:REGISTER/);
    expect(records[0]?.message).not.toMatch(/hunter2|0123456789abcdef|feedface/);
  });

  it('redacts credentials in the message itself (the SIP trace)', () => {
    const { records, log } = capture();
    log.debug(`sent\n${REGISTER}`);
    expect(records[0]?.message).not.toContain('0123456789abcdef');
  });

  it('drops records below the minimum level', () => {
    const { records, log } = capture('warn');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(records.map((r) => r.level)).toEqual(['warn', 'error']);
  });

  it('survives a throwing sink', () => {
    const log = createLogger(() => {
      throw new Error('sink down');
    });
    expect(() => log.error('x')).not.toThrow();
  });
});

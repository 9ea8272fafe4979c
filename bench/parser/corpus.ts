/**
 * The parser-bench corpus: realistic SIP-over-WebSocket messages (RFC 7118) as a WebRTC softphone
 * sees them during registration, a call and in-dialog traffic. The files live in `bench/corpus/`,
 * CRLF-terminated, with Content-Length counting UTF-8 bytes of the body (RFC 3261 §20.14).
 *
 * The expected Call-ID and CSeq of each message are written here by hand rather than read from the
 * files by some parser, so the pre-flight check of every adapter compares against an independent truth.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface CorpusEntry {
  /** File name inside bench/corpus/. */
  readonly file: string;
  readonly callId: string;
  readonly cseq: number;
  readonly cseqMethod: string;
}

export interface CorpusMessage extends CorpusEntry {
  readonly text: string;
  /** UTF-8 size of the whole message. */
  readonly bytes: number;
}

const MANIFEST: readonly CorpusEntry[] = [
  { file: 'register.sip', callId: '5j0ouk8u3h2v1rf9l4qg', cseq: 1, cseqMethod: 'REGISTER' },
  { file: 'register-401.sip', callId: '5j0ouk8u3h2v1rf9l4qg', cseq: 1, cseqMethod: 'REGISTER' },
  { file: 'register-200.sip', callId: '5j0ouk8u3h2v1rf9l4qg', cseq: 2, cseqMethod: 'REGISTER' },
  { file: 'invite.sip', callId: '3c26b0d41e5f7a98@df7jal23ls0d.invalid', cseq: 5217, cseqMethod: 'INVITE' },
  {
    file: 'trying-100.sip',
    callId: '3c26b0d41e5f7a98@df7jal23ls0d.invalid',
    cseq: 5217,
    cseqMethod: 'INVITE',
  },
  {
    file: 'ringing-180.sip',
    callId: '3c26b0d41e5f7a98@df7jal23ls0d.invalid',
    cseq: 5217,
    cseqMethod: 'INVITE',
  },
  {
    file: 'progress-183.sip',
    callId: '3c26b0d41e5f7a98@df7jal23ls0d.invalid',
    cseq: 5217,
    cseqMethod: 'INVITE',
  },
  {
    file: 'ok-200-invite.sip',
    callId: '3c26b0d41e5f7a98@df7jal23ls0d.invalid',
    cseq: 5217,
    cseqMethod: 'INVITE',
  },
  { file: 'ack.sip', callId: '3c26b0d41e5f7a98@df7jal23ls0d.invalid', cseq: 5217, cseqMethod: 'ACK' },
  { file: 'bye.sip', callId: '3c26b0d41e5f7a98@df7jal23ls0d.invalid', cseq: 8103, cseqMethod: 'BYE' },
  { file: 'cancel.sip', callId: '3c26b0d41e5f7a98@df7jal23ls0d.invalid', cseq: 5217, cseqMethod: 'CANCEL' },
  { file: 'message.sip', callId: '7mqk1v4x9z2c8b5n0r3t', cseq: 12, cseqMethod: 'MESSAGE' },
  { file: 'notify-dialog.sip', callId: '9w3e6r1t8y4u0i2o5p7a', cseq: 38, cseqMethod: 'NOTIFY' },
  { file: 'compact.sip', callId: 'a84b4c76e66710@192.0.2.61', cseq: 314159, cseqMethod: 'INVITE' },
];

const CORPUS_DIR = fileURLToPath(new URL('../corpus/', import.meta.url));

/**
 * Loads the corpus and checks the framing every parser relies on, so a corrupted file (for example
 * a checkout that turned CRLF into LF) fails loudly instead of benchmarking error paths.
 */
export function loadCorpus(): CorpusMessage[] {
  return MANIFEST.map((entry) => {
    const text = readFileSync(CORPUS_DIR + entry.file, 'utf8');
    const problem = framingProblem(text);
    if (problem !== undefined) throw new Error(`bench/corpus/${entry.file}: ${problem}`);
    return { ...entry, text, bytes: Buffer.byteLength(text, 'utf8') };
  });
}

function framingProblem(text: string): string | undefined {
  if (/(?<!\r)\n/.test(text)) return 'bare LF found: every line must end with CRLF';
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return 'no empty line after the headers';
  const head = text.slice(0, end);
  const body = text.slice(end + 4);
  const declared = /^(?:Content-Length|l)[ \t]*:[ \t]*(\d+)[ \t]*$/im.exec(head);
  if (declared === null) return 'no Content-Length header';
  const actual = Buffer.byteLength(body, 'utf8');
  if (Number(declared[1]) !== actual) return `Content-Length ${declared[1]} but the body has ${actual} bytes`;
  return undefined;
}

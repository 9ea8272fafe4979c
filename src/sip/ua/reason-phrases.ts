/**
 * Default reason phrases. RFC 3261 §21: the Reason-Phrase is "intended for the human user" and a
 * peer acts on the status code alone, so any text is correct, an empty one included (§25.1). The
 * table holds only the codes this core sends itself: the §8.2 rejections of the UA core and the
 * answers of the INVITE session. Anyone sending another code (a registrar, a proxy, an embedder's
 * `reject()`) passes its phrase or sends none.
 */
const PHRASES: Readonly<Record<number, string>> = {
  180: 'Ringing',
  183: 'Session Progress',
  200: 'OK',
  400: 'Bad Request',
  405: 'Method Not Allowed',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  422: 'Session Interval Too Small',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  486: 'Busy Here',
  487: 'Request Terminated',
  488: 'Not Acceptable Here',
  491: 'Request Pending',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  505: 'Version Not Supported',
  603: 'Decline',
};

/** The standard phrase of a status code this core sends, else the empty phrase. */
export function reasonPhrase(status: number): string {
  return PHRASES[status] ?? '';
}

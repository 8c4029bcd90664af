/**
 * Sends bytes that fetch() refuses to send (CR, LF or NUL in a header, `..` in a path,
 * a control character in the target) over a plain TCP socket, and reads the answer.
 */
import { connect } from 'node:net';

/** An HTTP answer read off a raw socket. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses one HTTP/1.1 answer (head and body) from what the socket delivered. */
export function parseAnswer(text: string): RawAnswer {
  const headEnd = text.indexOf('\r\n\r\n');
  const head = headEnd === -1 ? text : text.slice(0, headEnd);
  const [statusLine, ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = headEnd === -1 ? '' : text.slice(headEnd + 4);
  const length = headers['content-length'];
  if (length !== undefined) body = Buffer.from(body, 'latin1').subarray(0, Number(length)).toString('utf8');
  return { status: Number(statusLine.split(' ')[1]), headers, body };
}

/**
 * Writes `head` (and `body`, when given) to `127.0.0.1:port` and resolves with the answer
 * once the server closed the connection or `timeoutMs` passed. The request should carry
 * `Connection: close`.
 * @param head the request line and headers, sent as latin1 bytes, ending in a blank line
 */
export function rawRequest(port: number, head: string, body?: Buffer, timeoutMs = 3000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('connect', () => {
      socket.write(Buffer.from(head, 'latin1'));
      if (body) socket.write(body);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // A server that answers early and closes may reset a socket still writing: the answer read so far counts.
    socket.on('error', (error) => (chunks.length === 0 ? reject(error) : undefined));
    socket.on('close', () => {
      clearTimeout(timer);
      if (chunks.length === 0) reject(new Error('the connection closed without an answer'));
      else resolve(parseAnswer(Buffer.concat(chunks).toString('latin1')));
    });
  });
}

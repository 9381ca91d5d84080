/**
 * RFC 9162 §2.1.3.2 inclusion-proof verification in the browser (Web Crypto SHA-256), so an auditor sees the
 * console check a decision's proof against the signed checkpoint root itself rather than trusting a flag.
 */

function hexToBytes(hex: string): Uint8Array<ArrayBuffer> {
  if (!/^(?:[0-9a-f]{2})*$/i.test(hex)) throw new Error(`not a hex string: ${hex.slice(0, 16)}`);
  const bytes = new Uint8Array(new ArrayBuffer(hex.length / 2));
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

function bytesToHex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  const buffer = new Uint8Array(new ArrayBuffer(1 + left.length + right.length));
  buffer[0] = 1;
  buffer.set(left, 1);
  buffer.set(right, 1 + left.length);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buffer));
}

/** The root an audit path leads to, or an error message when the path has the wrong shape. */
export async function rootFromInclusionProof(
  leafHashHex: string,
  leafIndex: number,
  treeSize: number,
  auditPathHex: readonly string[],
): Promise<{ ok: true; rootHex: string } | { ok: false; message: string }> {
  if (leafIndex < 0 || leafIndex >= treeSize) {
    return { ok: false, message: `leaf index ${leafIndex} is outside a tree of ${treeSize}` };
  }
  let fn = leafIndex;
  let sn = treeSize - 1;
  let hash: Uint8Array = hexToBytes(leafHashHex);
  for (const siblingHex of auditPathHex) {
    if (sn === 0) return { ok: false, message: 'the audit path is longer than the tree allows' };
    const sibling = hexToBytes(siblingHex);
    if (fn % 2 === 1 || fn === sn) {
      hash = await nodeHash(sibling, hash);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      hash = await nodeHash(hash, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return { ok: false, message: 'the audit path is shorter than the tree requires' };
  return { ok: true, rootHex: bytesToHex(hash) };
}

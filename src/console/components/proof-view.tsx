/**
 * A decision's evidence entry and its inclusion proof: the entry, the audit path, the signed checkpoint and
 * its signer, and whether the path really leads to the checkpoint's root (checked here, in the browser).
 */
import { useQuery } from '@tanstack/react-query';
import type { InclusionProofs, TrustRoot } from '../lib/api-types';
import { formatTime, shortHash } from '../lib/format';
import { rootFromInclusionProof } from '../lib/merkle';
import { Facts, Mono } from './ui/layout';
import { YesNo } from './ui/pill';

function useBrowserCheck(document: InclusionProofs) {
  const proof = document.proofs[0];
  const checkpoint = proof ? document.checkpoints[proof.checkpoint] : undefined;
  return useQuery({
    queryKey: ['evidence', 'proof-check', proof?.leaf_hash, checkpoint?.root_hash, checkpoint?.tree_size],
    enabled: proof !== undefined && checkpoint !== undefined,
    staleTime: Infinity,
    queryFn: async () => {
      if (!proof || !checkpoint) throw new Error('no proof');
      const result = await rootFromInclusionProof(
        proof.leaf_hash,
        proof.sequence,
        checkpoint.tree_size,
        proof.inclusion_proof,
      );
      if (!result.ok) return { isValid: false, message: result.message };
      const isValid = result.rootHex === checkpoint.root_hash;
      return {
        isValid,
        message: isValid
          ? `the audit path leads to the checkpoint root (tree of ${checkpoint.tree_size})`
          : `the audit path leads to ${shortHash(result.rootHex)}, not the checkpoint root`,
      };
    },
  });
}

function signerOf(note: string): string | null {
  const line = note.split('\n').find((text) => text.startsWith('— '));
  return line ? (line.slice(2).split(' ')[0] ?? null) : null;
}

export function ProofView({
  document,
  trustRoots,
}: {
  document: InclusionProofs;
  trustRoots: TrustRoot[] | null;
}) {
  const check = useBrowserCheck(document);
  const proof = document.proofs[0];
  if (!proof) return <p className="text-sm">The proof document has no proof in it.</p>;
  const checkpoint = document.checkpoints[proof.checkpoint];
  const status = check.data ? (
    <span className="inline-flex flex-wrap items-center gap-2">
      <YesNo value={check.data.isValid} yes="included" no="not proven" />
      <span className="text-xs text-slate-600 dark:text-slate-400">{check.data.message}</span>
    </span>
  ) : check.isError ? (
    `could not check: ${String(check.error)}`
  ) : (
    'checking…'
  );
  return (
    <div className="space-y-3">
      <Facts
        rows={[
          ['Inclusion', status],
          [
            'Entry',
            <span key="e">
              #{proof.sequence} · {proof.entry.kind} · recorded {formatTime(proof.entry.recorded_at)}
            </span>,
          ],
          [
            'Entry hash',
            <Mono key="h" title={proof.entry.entry_hash}>
              {shortHash(proof.entry.entry_hash)}
            </Mono>,
          ],
          [
            'Leaf hash',
            <Mono key="l" title={proof.leaf_hash}>
              {shortHash(proof.leaf_hash)}
            </Mono>,
          ],
          ['Audit path', `${proof.inclusion_proof.length} hashes`],
          [
            'Checkpoint',
            checkpoint ? `tree of ${checkpoint.tree_size} at ${formatTime(checkpoint.timestamp)}` : 'missing',
          ],
          [
            'Root',
            checkpoint ? (
              <Mono key="r" title={checkpoint.root_hash}>
                {shortHash(checkpoint.root_hash)}
              </Mono>
            ) : (
              '—'
            ),
          ],
          ['Origin', checkpoint?.origin ?? '—'],
          ['Signer', checkpoint ? (signerOf(checkpoint.note) ?? 'unsigned') : '—'],
          [
            'Trust root',
            trustRoots === null
              ? 'not loaded'
              : trustRoots
                  .map(
                    (root) =>
                      `${root.key_id} (${root.algorithm}, ${root.status}, from ${formatTime(root.valid_from)})`,
                  )
                  .join('; ') || 'none configured',
          ],
        ]}
      />
      <details>
        <summary className="cursor-pointer text-xs font-medium text-teal-800 dark:text-teal-300">
          Audit path and signed note
        </summary>
        <ol className="mt-2 list-decimal space-y-0.5 pl-6 font-mono text-xs break-all">
          {proof.inclusion_proof.map((hash, index) => (
            <li key={`${index}-${hash}`}>{hash}</li>
          ))}
        </ol>
        {checkpoint ? (
          <pre className="mt-2 overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
            {checkpoint.note}
          </pre>
        ) : null}
      </details>
    </div>
  );
}

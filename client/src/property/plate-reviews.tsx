/**
 * @module client/property/plate-reviews
 * The property office's plate claims: each plate a resident registered that waits for staff (a
 * new plate, or one already registered to someone else), with its claimants, the current holder
 * when disputed, and confirm or reject per claimant. The claimant's page learns the decision live
 * (the relay's PlatesChanged push).
 * Owns: that list and its two buttons. Does not: decide (the relay does; non-staff are refused).
 */
import { useEffect, useState } from 'preact/hooks';
import { failureOf } from '../api.ts';
import type { Authed } from '../auth/auth-api.ts';
import * as api from '../contact/contact-api.ts';
import { pick, useI18n } from '../i18n.ts';
import type { Failure } from '../protocol.ts';

export function PlateReviews({ call }: { call: Authed }) {
  const { lang, t } = useI18n();
  const [reviews, setReviews] = useState<readonly api.PlateReview[] | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let live = true;
    api.fetchPlateReviews(call).then(
      (list) => live && setReviews(list),
      (e: unknown) => live && setFailure(failureOf(e)),
    );
    return () => {
      live = false;
    };
  }, [call, version]);

  const decide = async (plate: string, accountId: string, decision: 'confirm' | 'reject') => {
    setBusy(true);
    try {
      await api.reviewPlate(call, plate, accountId, decision);
      setFailure(null);
    } catch (e) {
      setFailure(failureOf(e));
    } finally {
      setBusy(false);
      setVersion((v) => v + 1);
    }
  };
  const name = (p: { accountId: string; displayName: string | null }) => p.displayName ?? p.accountId;

  return (
    <section class="plate-reviews" aria-labelledby="plate-reviews-title" data-testid="plate-reviews">
      <h3 id="plate-reviews-title">
        {t('plateReviewsTitle')}{' '}
        <button type="button" class="link" data-testid="plate-reviews-reload" onClick={() => setVersion((v) => v + 1)}>{t('reload')}</button>
      </h3>
      {failure && <p class="chat-error" role="alert" data-testid="plate-reviews-error" data-code={failure.code}>{pick(failure.message, lang)}</p>}
      {reviews === null ? <p class="muted">{t('loadingShort')}</p> : reviews.length === 0 ? <p class="muted" data-testid="plate-reviews-none">{t('plateReviewsNone')}</p> : (
        <ul class="rows">
          {reviews.map((r) => (
            <li key={r.plate} class="row" data-testid="plate-review" data-plate={r.plate}>
              <span class="row-main">
                <strong>{r.plate}</strong>
                {r.holder && <span class="muted"> · {t('plateReviewHolder', { name: name(r.holder) })}</span>}
              </span>
              {r.claimants.map((c) => (
                <span key={c.accountId} class="row-actions" data-testid="plate-claimant" data-account-id={c.accountId}>
                  <button type="button" class="primary" data-testid="plate-confirm" disabled={busy} onClick={() => void decide(r.plate, c.accountId, 'confirm')}>
                    {t('plateReviewConfirm', { name: name(c) })}
                  </button>
                  <button type="button" class="secondary" data-testid="plate-reject" disabled={busy} onClick={() => void decide(r.plate, c.accountId, 'reject')}>
                    {t('plateReviewReject', { name: name(c) })}
                  </button>
                </span>
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * @module client/commons/failure-line
 * One refused action's typed failure, in the page language, with its code for tests.
 */
import { pick, useI18n } from '../i18n.ts';
import type { Failure } from '../protocol.ts';

export function FailureLine({ failure, testid }: { failure: Failure | null; testid: string }) {
  const { lang } = useI18n();
  if (!failure) return null;
  return <p class="chat-error" role="alert" data-testid={testid} data-code={failure.code}>{pick(failure.message, lang)}</p>;
}

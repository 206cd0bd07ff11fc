/**
 * @module client/auth/sign-in
 * The screen shown without a valid session: three tabs, sign in (phone and password), join with
 * an invite code (code, phone, display name, password) and set up the first administrator (the
 * setup code `npm start` prints, same fields). Server refusals are shown in the page language
 * (`message[lang]`), a 429 with its wait; why the last session ended is shown above the form.
 * Owns: the form and its submission. Does not: keep tokens (the caller adopts the answer).
 */
import { useState } from 'preact/hooks';
import { ApiError, failureOf } from '../api.ts';
import { capName, cleanName } from '../chat/identity.ts';
import { pick, useI18n, type MessageKey } from '../i18n.ts';
import type { Failure, SignedIn } from '../protocol.ts';
import * as authApi from './auth-api.ts';

export type AuthMode = 'signin' | 'signup' | 'setup';

const MODES: readonly AuthMode[] = ['signin', 'signup', 'setup'];
const TAB: Readonly<Record<AuthMode, MessageKey>> = { signin: 'authTabSignIn', signup: 'authTabSignUp', setup: 'authTabSetup' };
const SUBMIT: Readonly<Record<AuthMode, MessageKey>> = { signin: 'authSubmitSignIn', signup: 'authSubmitSignUp', setup: 'authSubmitSetup' };

export interface SignInProps {
  /** Why the previous session ended, if it did not end by signing out. */
  readonly reason: Failure | null;
  onSignedIn(answer: SignedIn): void;
}

interface Shown {
  readonly failure: Failure;
  readonly retryAfterS?: number;
}

export function SignIn({ reason, onSignedIn }: SignInProps) {
  const { lang, t } = useI18n();
  const [mode, setMode] = useState<AuthMode>('signin');
  const [code, setCode] = useState('');
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Shown | null>(null);

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const answer =
        mode === 'signin'
          ? await authApi.signIn({ phone, password })
          : await (mode === 'signup' ? authApi.signUp : authApi.setUp)({ code, phone, password, displayName: cleanName(name) });
      onSignedIn(answer);
    } catch (e) {
      setError({ failure: failureOf(e), ...(e instanceof ApiError && e.retryAfterS ? { retryAfterS: e.retryAfterS } : {}) });
      setBusy(false);
    }
  };

  return (
    <main class="auth" data-testid="sign-in">
      <section class="panel auth-panel" aria-labelledby="auth-title">
        <h2 id="auth-title">{t('authTitle')}</h2>
        {reason && (
          <p class="chat-error" role="alert" data-testid="auth-reason" data-code={reason.code}>
            {pick(reason.message, lang)}
          </p>
        )}
        <div class="tabs" role="tablist">
          {MODES.map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              aria-selected={m === mode}
              class={m === mode ? 'tab active' : 'tab'}
              data-testid={`auth-tab-${m}`}
              onClick={() => {
                setMode(m);
                setError(null);
              }}
            >
              {t(TAB[m])}
            </button>
          ))}
        </div>
        <form
          class="form"
          data-testid="auth-form"
          data-mode={mode}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          {mode !== 'signin' && (
            <label>
              <span>{t(mode === 'setup' ? 'authSetupCode' : 'authInviteCode')}</span>
              <input data-testid="auth-code" value={code} required autocomplete="one-time-code" spellcheck={false} onInput={(e) => setCode(e.currentTarget.value)} />
            </label>
          )}
          <label>
            <span>{t('authPhone')}</span>
            <input data-testid="auth-phone" type="tel" inputMode="tel" value={phone} required autocomplete="username" placeholder={t('authPhoneHint')} onInput={(e) => setPhone(e.currentTarget.value)} />
          </label>
          {mode !== 'signin' && (
            <label>
              <span>{t('authName')}</span>
              <input
                data-testid="auth-name"
                value={name}
                required
                autocomplete="nickname"
                onInput={(e) => {
                  const capped = capName(e.currentTarget.value);
                  if (capped !== e.currentTarget.value) e.currentTarget.value = capped;
                  setName(capped);
                }}
              />
            </label>
          )}
          <label>
            <span>{t('authPassword')}</span>
            <input
              data-testid="auth-password"
              type="password"
              value={password}
              required
              autocomplete={mode === 'signin' ? 'current-password' : 'new-password'}
              placeholder={mode === 'signin' ? '' : t('authPasswordHint')}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </label>
          {error && (
            <p class="chat-error" role="alert" data-testid="auth-error" data-code={error.failure.code}>
              {pick(error.failure.message, lang)}
              {error.retryAfterS ? ` ${t('retryAfter', { s: error.retryAfterS })}` : ''}
            </p>
          )}
          <button type="submit" class="primary" data-testid="auth-submit" disabled={busy}>
            {busy ? t('working') : t(SUBMIT[mode])}
          </button>
          {mode === 'setup' && <p class="muted small">{t('authSetupHint')}</p>}
        </form>
      </section>
    </main>
  );
}

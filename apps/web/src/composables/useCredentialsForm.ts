import type { SignInBody, SignUpBody, ValidationIssue } from '@tandem/contract';
import { computed, ref, shallowRef } from 'vue';
import type { z } from 'zod';
import type { ApiError } from '../api/api-error';
import { fieldErrorsOf } from '../api/field-errors';

/** The e-mail and password a sign-in or a sign-up sends, as the contract reads them. */
export type Credentials = SignInBody | SignUpBody;

interface CredentialsMutation {
  mutateAsync: (body: Credentials) => Promise<unknown>;
  reset: () => void;
  error: Readonly<{ value: ApiError | null }>;
  isPending: Readonly<{ value: boolean }>;
}

/** Errors of these names are about the e-mail field, though the server sends no issue for it. */
const EMAIL_ERRORS = new Set(['EMAIL_TAKEN']);

/**
 * The sign-in and sign-up form: the e-mail and password as typed, checked with the
 * contract's schema before they are sent (`SignInBody`, `SignUpBody`: the same rules the
 * server applies, so a too-short password is said at once), and the server's verdict
 * beside the fields — its validation issues per field, `EMAIL_TAKEN` beside the e-mail; any
 * other failure (a wrong password, too many attempts) is the form's.
 */
export function useCredentialsForm(schema: typeof SignInBody | typeof SignUpBody, mutation: CredentialsMutation) {
  const email = ref('');
  const password = ref('');
  /** The schema's issues of the last submission, in the server's form (`body.password`). */
  const localIssues = shallowRef<readonly ValidationIssue[]>([]);

  const fieldErrors = computed(() => fieldErrorsOf([...localIssues.value, ...(mutation.error.value?.issues ?? [])]));

  function errorsOf(field: 'email' | 'password'): readonly string[] {
    const error = mutation.error.value;
    const fromError = field === 'email' && error && EMAIL_ERRORS.has(error.name) ? [error.message] : [];
    return [...(fieldErrors.value[field] ?? []), ...fromError];
  }

  /** The failure the fields do not show: a wrong password, a 429, no answer, an issue no field claims. */
  const formError = computed(() => {
    const error = mutation.error.value;
    if (!error || EMAIL_ERRORS.has(error.name)) return undefined;
    return error.name === 'VALIDATION_FAILED' && !fieldErrors.value[''] ? undefined : error;
  });
  const otherMessages = computed(() => fieldErrors.value[''] ?? []);

  /** Sends the credentials when the schema accepts them; resolves to whether the server did. */
  async function submit(): Promise<boolean> {
    mutation.reset();
    const parsed = (schema as z.ZodType<Credentials>).safeParse({ email: email.value, password: password.value });
    if (!parsed.success) {
      localIssues.value = parsed.error.issues.map((issue) => ({
        path: ['body', ...issue.path.map(String)].join('.'),
        message: issue.message,
      }));
      return false;
    }
    localIssues.value = [];
    try {
      await mutation.mutateAsync(parsed.data);
      return true;
    } catch {
      return false;
    }
  }

  return {
    email,
    password,
    submit,
    errorsOf,
    formError,
    otherMessages,
    isPending: computed(() => mutation.isPending.value),
  };
}

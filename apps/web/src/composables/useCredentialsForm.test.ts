import { SignInBody, SignUpBody } from '@tandem/contract';
import { describe, expect, it, vi } from 'vitest';
import { ref } from 'vue';
import { ApiError } from '../api/api-error';
import { type Credentials, useCredentialsForm } from './useCredentialsForm';

/** A stand-in for vue-query's mutation: records what is sent, fails with `failure` when given. */
function fakeMutation(failure?: ApiError) {
  const error = ref<ApiError | null>(null);
  const sent: Credentials[] = [];
  return {
    sent,
    error,
    isPending: ref(false),
    reset: vi.fn(() => {
      error.value = null;
    }),
    mutateAsync: vi.fn(async (body: Credentials) => {
      sent.push(body);
      if (failure) {
        error.value = failure;
        throw failure;
      }
    }),
  };
}

describe('useCredentialsForm', () => {
  it("checks the fields with the contract's schema first: nothing is sent, the messages are beside their fields", async () => {
    const mutation = fakeMutation();
    const form = useCredentialsForm(SignUpBody, mutation);
    form.email.value = 'not an address';
    form.password.value = 'short';
    expect(await form.submit()).toBe(false);
    expect(mutation.sent).toEqual([]);
    expect(form.errorsOf('email')).toEqual(['Enter an e-mail address, e.g. ada@example.com.']);
    expect(form.errorsOf('password')).toEqual(['Use at least 10 characters.']);
    expect(form.formError.value).toBeUndefined();
  });

  it('sends what the schema made of the input (the e-mail trimmed and lower-cased)', async () => {
    const mutation = fakeMutation();
    const form = useCredentialsForm(SignInBody, mutation);
    form.email.value = '  Ada@Example.com ';
    form.password.value = 'x';
    expect(await form.submit()).toBe(true);
    expect(mutation.sent).toEqual([{ email: 'ada@example.com', password: 'x' }]);
  });

  it("shows the server's validation issues beside their fields, and EMAIL_TAKEN beside the e-mail", async () => {
    const issues = [{ path: 'body.password', message: 'Use at most 200 characters.' }];
    const invalid = useCredentialsForm(
      SignUpBody,
      fakeMutation(
        new ApiError({
          name: 'VALIDATION_FAILED',
          message: 'The request is invalid.',
          status: 400,
          code: 40001,
          issues,
        }),
      ),
    );
    invalid.email.value = 'ada@example.com';
    invalid.password.value = 'long enough password';
    await invalid.submit();
    expect(invalid.errorsOf('password')).toEqual(['Use at most 200 characters.']);
    expect(invalid.formError.value).toBeUndefined();

    const taken = useCredentialsForm(
      SignUpBody,
      fakeMutation(
        new ApiError({
          name: 'EMAIL_TAKEN',
          message: 'An account with this e-mail already exists; sign in instead.',
          status: 409,
          code: 40903,
        }),
      ),
    );
    taken.email.value = 'ada@example.com';
    taken.password.value = 'long enough password';
    await taken.submit();
    expect(taken.errorsOf('email')).toEqual(['An account with this e-mail already exists; sign in instead.']);
    expect(taken.formError.value).toBeUndefined();
  });

  it("a wrong password is the form's message, not a field's", async () => {
    const wrong = new ApiError({
      name: 'INVALID_CREDENTIALS',
      message: 'The e-mail or the password is wrong.',
      status: 401,
      code: 40103,
    });
    const form = useCredentialsForm(SignInBody, fakeMutation(wrong));
    form.email.value = 'ada@example.com';
    form.password.value = 'nope';
    expect(await form.submit()).toBe(false);
    expect(form.formError.value).toBe(wrong);
    expect(form.errorsOf('email')).toEqual([]);
    expect(form.errorsOf('password')).toEqual([]);
  });
});

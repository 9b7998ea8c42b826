import { computed, ref, watch } from 'vue';
import { ApiError } from '../api/api-error';
import { fieldErrorsOf } from '../api/field-errors';
import { type NewOrder, useCreateOrder } from '../api/orders.queries';

/** One line of the form as typed; a number input gives `''` while it is empty. */
export interface ItemDraft {
  key: number;
  sku: string;
  qty: number | string;
  price: number | string;
}

const ITEM_FIELDS = ['sku', 'qty', 'price'] as const;

/**
 * The create-order form: what the person typed, the request it becomes, and the
 * server's verdict per field. Nothing is blocked in the browser: the server's
 * validation is the one that counts, and its issues are shown beside the fields.
 *
 * Each submission carries an Idempotency-Key, one per user action: made when the person
 * submits, kept for the automatic retries of that submission (inside `call()`) and for a
 * press of the button again after a failure with the form unchanged (the first attempt
 * may have created the order: the API then answers with it instead of storing a second),
 * dropped after a success and as soon as the person edits the form.
 */
export function useOrderForm() {
  let nextKey = 0;
  const newItem = (): ItemDraft => ({ key: nextKey++, sku: '', qty: 1, price: '' });

  const customer = ref('');
  const items = ref<ItemDraft[]>([newItem()]);
  const creation = useCreateOrder();

  let idempotencyKey: string | undefined;
  // Sync: an edit made just before a submit must not drop the key that submit makes.
  watch(
    [customer, items],
    () => {
      idempotencyKey = undefined;
    },
    { deep: true, flush: 'sync' },
  );

  const fieldErrors = computed(() => fieldErrorsOf(creation.error.value?.issues ?? []));
  const shownFields = computed(
    () =>
      new Set([
        'customer',
        'items',
        ...items.value.flatMap((_, index) => [
          `items.${index}`,
          ...ITEM_FIELDS.map((field) => `items.${index}.${field}`),
        ]),
      ]),
  );
  /** Issues no field claims (the whole body, an unknown field): shown above the form. */
  const otherErrors = computed(() =>
    Object.entries(fieldErrors.value)
      .filter(([field]) => !shownFields.value.has(field))
      .flatMap(([, messages]) => messages),
  );

  function errorsOf(field: string): readonly string[] {
    return fieldErrors.value[field] ?? [];
  }

  function addItem() {
    items.value.push(newItem());
  }

  function removeItem(index: number) {
    items.value.splice(index, 1);
    // The server's issues name items by position; after a removal they would point elsewhere.
    creation.reset();
  }

  function toBody(): NewOrder {
    return {
      customer: customer.value,
      items: items.value.map(({ sku, qty, price }) => ({ sku, qty: numberOf(qty), price: numberOf(price) })),
    };
  }

  /** Sends the order; resolves to it, or to undefined when the server said no (see `error`). */
  async function submit() {
    idempotencyKey ??= crypto.randomUUID();
    try {
      const order = await creation.mutateAsync({ body: toBody(), idempotencyKey });
      idempotencyKey = undefined;
      return order;
    } catch (error) {
      // The key belongs to another body: the next press starts a new action.
      if (error instanceof ApiError && error.name === 'IDEMPOTENCY_KEY_REUSED') idempotencyKey = undefined;
      return undefined;
    }
  }

  return {
    customer,
    items,
    addItem,
    removeItem,
    submit,
    errorsOf,
    otherErrors,
    error: creation.error,
    isPending: creation.isPending,
  };
}

// An empty number field is sent as null (JSON has no NaN), so the server names the field.
function numberOf(value: number | string): number {
  return value === '' ? Number.NaN : Number(value);
}

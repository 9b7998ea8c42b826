import type { WsClientMessage, WsServerMessage } from '@tandem/contract';
import { useQueryClient } from '@tanstack/vue-query';
import { type MaybeRefOrGetter, onMounted, readonly, ref, toValue, watch } from 'vue';
import { apiOrigin } from '../api/api-origin';
import { applyOrderEvent } from '../api/orders-live-updates';
import { closeOnDispose } from '../live/close-on-dispose';
import type { LiveContract } from '../live/live-contract';
import { liveResourceOpened } from '../live/live-resources';
import { type CancelTimer, setLiveTimeout } from '../live/live-timers';
import { loadLiveContract } from '../live/load-live-contract';
import { LIVE_RECONNECT, reconnectDelay } from '../live/reconnect-delay';

export type SocketState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * The live WebSocket (`GET /api/v1/ws`): says which page this tab shows (`hello`), and
 * reports how many clients are connected and the order status changes, which it patches
 * into the orders cache (so an order's detail moves when someone else moves it). The
 * server pings; the browser answers by itself.
 *
 * It connects once the live channels may (load-live-contract.ts: after the tab's version check),
 * so the app paints without waiting for it or for the contract. After any
 * close this side did not ask for, it reconnects after an exponential, capped, jittered
 * delay; a connection that stayed up `LIVE_RECONNECT.stableMs` resets the schedule. Coming
 * back online reconnects at once.
 *
 * It is open only while `enabled` is true (App.vue: while someone is signed in; the API
 * refuses it without a session): false closes it, and nothing reconnects until it is true again.
 */
export function useLiveSocket(page: MaybeRefOrGetter<string>, options: { enabled?: MaybeRefOrGetter<boolean> } = {}) {
  const enabled = () => toValue(options.enabled ?? true);
  const queryClient = useQueryClient();

  const state = ref<SocketState>('connecting');
  const presence = ref<number | null>(null);
  const lastMessageAt = ref<number | null>(null);
  const reconnects = ref(0);

  let socket: WebSocket | undefined;
  let releaseSocket: (() => void) | undefined;
  let cancelRetry: CancelTimer | undefined;
  let attempt = 0;
  let openedAt = 0;
  /** The socket's path and frame schema; undefined until it may connect. */
  let wire: LiveContract['socket'] | undefined;
  let disposed = false;

  function connect() {
    if (!wire || !enabled()) return;
    const { path, schema } = wire;
    cancelRetry?.();
    cancelRetry = undefined;
    const url = `${apiOrigin.value.replace(/^http/, 'ws')}${path}`;
    const ws = new WebSocket(url);
    socket = ws;
    const release = liveResourceOpened('webSocket');
    releaseSocket = release;

    ws.onopen = () => {
      state.value = 'open';
      openedAt = Date.now();
      send({ type: 'hello', page: toValue(page).slice(0, 200) });
    };
    ws.onmessage = (message: MessageEvent<unknown>) => {
      if (typeof message.data !== 'string') return;
      const decoded = parseMessage(schema, message.data);
      if (!decoded) return;
      lastMessageAt.value = Date.now();
      if (decoded.type === 'presence') presence.value = decoded.count;
      // New orders and resets reach the cache through the event stream, which can resume.
      else if (decoded.type === 'order.status_changed') void applyOrderEvent(queryClient, decoded);
    };
    ws.onclose = () => {
      release();
      if (ws !== socket) return;
      socket = undefined;
      releaseSocket = undefined;
      if (disposed) return;
      if (openedAt && Date.now() - openedAt >= LIVE_RECONNECT.stableMs) attempt = 0;
      openedAt = 0;
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    state.value = 'reconnecting';
    reconnects.value += 1;
    cancelRetry = setLiveTimeout(connect, reconnectDelay(attempt++, LIVE_RECONNECT));
  }

  function send(message: WsClientMessage) {
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  /** Closes the current socket on purpose: its close event no longer schedules a reconnect. */
  function close() {
    const ws = socket;
    socket = undefined;
    ws?.close(1000);
    releaseSocket?.();
    releaseSocket = undefined;
  }

  function onOnline() {
    if (!wire || socket || disposed || !enabled()) return;
    attempt = 0;
    connect();
  }

  void loadLiveContract().then((contract) => {
    if (disposed) return;
    wire = contract.socket;
    connect();
  });
  // Once mounted: a component rendered to HTML (the build's pre-render) has no window.
  onMounted(() => window.addEventListener('online', onOnline));

  watch(
    () => toValue(page),
    (path) => send({ type: 'hello', page: path.slice(0, 200) }),
  );
  // The API moved to another origin (setApiOrigin): follow it.
  watch(apiOrigin, () => {
    if (!wire || disposed || !enabled()) return;
    close();
    attempt = 0;
    state.value = 'reconnecting';
    connect();
  });

  watch(enabled, (on) => {
    if (!wire || disposed) return;
    cancelRetry?.();
    cancelRetry = undefined;
    close();
    attempt = 0;
    state.value = on ? 'connecting' : 'closed';
    if (on) connect();
  });

  // The socket, the reconnect timer and the listener end with the component.
  closeOnDispose(() => {
    disposed = true;
    cancelRetry?.();
    cancelRetry = undefined;
    close();
    window.removeEventListener('online', onOnline);
    state.value = 'closed';
  });

  return {
    state: readonly(state),
    presence: readonly(presence),
    lastMessageAt: readonly(lastMessageAt),
    reconnects: readonly(reconnects),
  };
}

function parseMessage(schema: typeof WsServerMessage, text: string): WsServerMessage | undefined {
  try {
    const result = schema.safeParse(JSON.parse(text));
    if (result.success) return result.data;
    console.warn('Ignored a WebSocket message that does not match the contract', result.error);
  } catch (error) {
    console.warn('Ignored a WebSocket message that is not JSON', error);
  }
  return undefined;
}

import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { followRouter, PageTimeline, rumPageOf } from './page-timeline';

const Page = { template: '<div />' };

function testRouter() {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', redirect: { name: 'orders' } },
      { path: '/orders', name: 'orders', component: Page },
      { path: '/orders/:id', name: 'order', component: Page },
      { path: '/secret', name: 'not-a-rum-page', component: Page },
    ],
  });
}

describe('rumPageOf', () => {
  it('keeps the route names the contract lists and nothing else', () => {
    expect(rumPageOf('orders')).toBe('orders');
    expect(rumPageOf('order-new')).toBe('order-new');
    expect(rumPageOf('not-a-rum-page')).toBeUndefined();
    expect(rumPageOf(undefined)).toBeUndefined();
    expect(rumPageOf(Symbol('orders'))).toBeUndefined();
  });
});

describe('PageTimeline', () => {
  it('places a moment on the page on screen then', () => {
    const timeline = new PageTimeline();
    timeline.enter('orders', 0);
    timeline.enter('order', 500);
    timeline.enter(undefined, 900);
    timeline.enter('customers', 1_200);
    expect(timeline.at(10)).toBe('orders');
    expect(timeline.at(499.9)).toBe('orders');
    expect(timeline.at(500)).toBe('order');
    expect(timeline.at(1_000)).toBeUndefined();
    expect(timeline.at(5_000)).toBe('customers');
    expect(timeline.current).toBe('customers');
  });

  it('gives a moment before its first visit to the page the tab was opened on', () => {
    const timeline = new PageTimeline();
    timeline.enter('order', 300);
    expect(timeline.at(0)).toBe('order');
  });

  it('knows no page before anything was entered', () => {
    const timeline = new PageTimeline();
    expect(timeline.current).toBeUndefined();
    expect(timeline.at(100)).toBeUndefined();
  });
});

describe('followRouter', () => {
  it('starts on the landing URL and moves with each finished navigation', async () => {
    const router = testRouter();
    const timeline = new PageTimeline();
    let clock = 0;
    followRouter(timeline, router, '/orders/42', () => clock);
    expect(timeline.current).toBe('order');

    clock = 100;
    await router.push('/orders/42');
    clock = 200;
    await router.push('/orders');
    clock = 300;
    await router.push('/secret');

    expect(timeline.at(50)).toBe('order');
    expect(timeline.at(150)).toBe('order');
    expect(timeline.at(250)).toBe('orders');
    expect(timeline.at(350)).toBeUndefined();
  });

  it('does not move on a navigation that was cancelled', async () => {
    const router = testRouter();
    router.beforeEach((to) => to.name !== 'order');
    const timeline = new PageTimeline();
    followRouter(timeline, router, '/orders', () => 10);
    await router.push('/orders');
    await router.push('/orders/7');
    expect(timeline.current).toBe('orders');
  });

  it('stops following when asked', async () => {
    const router = testRouter();
    const timeline = new PageTimeline();
    const stop = followRouter(timeline, router, '/orders', () => 10);
    stop();
    await router.push('/orders/7');
    expect(timeline.current).toBe('orders');
  });
});

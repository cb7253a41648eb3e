import { getEventListeners } from 'node:events';
import { SessionSlots } from '../requestBudget';

describe('SessionSlots: a wait of at most waitMs, paid for only by callers that wait', () => {
  afterEach(() => jest.useRealTimers());

  it('grants a free slot without a timer or a listener', async () => {
    jest.useFakeTimers();
    const slots = new SessionSlots(2);
    const signal = new AbortController().signal;
    const release = await slots.acquire(signal, 1000);
    expect(jest.getTimerCount()).toBe(0);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    release();
  });

  it('rejects a waiter after waitMs, naming the wait, and gives its turn to the next one', async () => {
    jest.useFakeTimers();
    const slots = new SessionSlots(1);
    const signal = new AbortController().signal;
    const release = await slots.acquire(signal, 1000);
    const late = slots.acquire(signal, 1000);
    const patient = slots.acquire(signal);
    jest.advanceTimersByTime(1000);
    await expect(late).rejects.toThrow('no slot came free in 1000 ms');
    // The timed-out waiter left the queue and the signal: the slot goes to the one still waiting.
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    release();
    const next = await patient;
    expect(jest.getTimerCount()).toBe(0);
    next();
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
  });

  it('clears the timer of a waiter granted in time', async () => {
    jest.useFakeTimers();
    const slots = new SessionSlots(1);
    const signal = new AbortController().signal;
    const release = await slots.acquire(signal, 1000);
    const waiter = slots.acquire(signal, 1000);
    expect(jest.getTimerCount()).toBe(1);
    release();
    const granted = await waiter;
    expect(jest.getTimerCount()).toBe(0);
    granted();
  });

  it('rejects a waiter at once when its budget ends, and clears its timer', async () => {
    jest.useFakeTimers();
    const slots = new SessionSlots(1);
    const controller = new AbortController();
    const release = await slots.acquire(controller.signal, 1000);
    const waiter = slots.acquire(controller.signal, 1000);
    controller.abort('timeout');
    await expect(waiter).rejects.toThrow('budget ended: timeout');
    expect(jest.getTimerCount()).toBe(0);
    release();
  });
});

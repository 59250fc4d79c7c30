//! A per-thread watchdog that interrupts Z3 when a query's deadline passes.
//!
//! Z3 4.8's own `timeout` parameter is not enough: under load, a cancellation that arrives while
//! Z3 hands the problem from one tactic to the next can be lost, and the check then runs for
//! minutes (seen with a 1 ms timeout on a hard 32-bit division query while other processes kept
//! both cores busy). The watchdog calls `Z3_interrupt` at the deadline and keeps calling it every
//! few milliseconds until the check returns.
//!
//! One watchdog thread serves each thread that runs queries; it is started on the first query and
//! stopped (and joined) when that thread exits, so a query pays two mutex operations and a wake-up
//! instead of a thread spawn. Invariant: the watchdog interrupts only while a check is armed
//! (`deadline` is set under the lock it interrupts under), so an interrupt can never reach a later
//! query.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use z3::{Context, ContextHandle};

/// How often the watchdog repeats its interrupt once the deadline has passed.
const INTERRUPT_PERIOD: Duration = Duration::from_millis(5);

/// How often the watchdog looks at an armed check's cancel flag.
const CANCEL_POLL: Duration = Duration::from_millis(20);

#[derive(Debug, Default)]
struct State {
    /// When to interrupt the armed check; `None` when no check runs.
    deadline: Option<Instant>,
    /// A flag that, once set by another thread, interrupts the armed check before its deadline.
    cancel: Option<Arc<AtomicBool>>,
    /// Set when the owning thread exits.
    shutdown: bool,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // The state stays consistent even if a holder panicked: every update is one assignment.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The watchdog of one Z3 context.
#[derive(Debug)]
struct Watchdog {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
    /// The context the thread interrupts; boxed so its address is stable, dropped only after the
    /// thread is joined (see `Drop`).
    context: Box<Context>,
}

impl Watchdog {
    fn start(context: Context) -> Watchdog {
        let context = Box::new(context);
        let shared = Arc::new(Shared::default());
        // SAFETY: the handle borrows `*context`, a heap value owned by the returned `Watchdog`
        // that never moves; `Drop` joins the thread before `context` is dropped, so the handle
        // is never used after its referent is gone. `ContextHandle` is `Send` (Z3_interrupt is
        // the one Z3 call meant to be made from another thread).
        let handle: ContextHandle<'static> = unsafe { std::mem::transmute(context.handle()) };
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("synth-z3-watchdog".into())
            .spawn(move || watch(&thread_shared, &handle))
            .ok();
        Watchdog { shared, thread, context }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.shared.lock().shutdown = true;
        self.shared.wake.notify_one();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The watchdog thread: sleeps until the armed deadline, then interrupts until disarmed.
fn watch(shared: &Shared, handle: &ContextHandle<'_>) {
    let mut state = shared.lock();
    while !state.shutdown {
        state = match state.deadline {
            None => shared.wake.wait(state).unwrap_or_else(PoisonError::into_inner),
            Some(deadline) => {
                let now = Instant::now();
                let cancelled = state.cancel.as_ref().is_some_and(|c| c.load(Ordering::Relaxed));
                if now >= deadline || cancelled {
                    handle.interrupt();
                    state.deadline = Some(now + INTERRUPT_PERIOD);
                    // Release the lock between interrupts, so the check can disarm.
                    shared.wake.wait_timeout(state, INTERRUPT_PERIOD).unwrap_or_else(PoisonError::into_inner).0
                } else {
                    let wait = if state.cancel.is_some() { (deadline - now).min(CANCEL_POLL) } else { deadline - now };
                    shared.wake.wait_timeout(state, wait).unwrap_or_else(PoisonError::into_inner).0
                }
            }
        };
    }
}

thread_local! {
    static WATCHDOG: RefCell<Option<Watchdog>> = const { RefCell::new(None) };
}

/// Disarms the watchdog when the check returns (or unwinds).
struct Armed(Arc<Shared>);

impl Drop for Armed {
    fn drop(&mut self) {
        let mut state = self.0.lock();
        state.deadline = None;
        state.cancel = None;
    }
}

/// Runs `check`, a Z3 call on `context`, with the watchdog interrupting it after `timeout`, or
/// soon (within a few tens of milliseconds) after `cancel` is set by another thread.
/// Falls back to running `check` unguarded (relying on Z3's own timeout) only if the watchdog
/// thread cannot be started.
pub(crate) fn guarded_cancellable<R>(
    context: &Context,
    timeout: Duration,
    cancel: Option<&Arc<AtomicBool>>,
    check: impl FnOnce() -> R,
) -> R {
    let shared = WATCHDOG.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|w| *w.context != *context) {
            *slot = Some(Watchdog::start(context.clone()));
        }
        slot.as_ref().filter(|w| w.thread.is_some()).map(|w| Arc::clone(&w.shared))
    });
    let Some(shared) = shared else { return check() };
    {
        let mut state = shared.lock();
        state.deadline = Some(Instant::now() + timeout);
        state.cancel = cancel.cloned();
    }
    shared.wake.notify_one();
    let _armed = Armed(shared);
    check()
}

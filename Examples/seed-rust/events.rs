// The tutorial's event-system example, written against its declarations (std only), to
// prove libnative's event registry serves it unchanged. It keeps the tutorial's shape —
// a handler map behind Arc<Mutex>, a boxed context passed as user_data — and fixes what
// DESIGN.md lists: the box is reclaimed on stop, and payloads are only read when the
// event carries a buffer of at least the 64 bytes the callback reads.
use std::collections::HashMap;
use std::os::raw::{c_int, c_void};
use std::sync::{Arc, Mutex};

type NativeCallback = extern "C" fn(event_type: c_int, data: *const c_void, user_data: *mut c_void);

#[link(name = "native")]
extern "C" {
    fn register_event_handler(callback: NativeCallback, user_data: *mut c_void) -> c_int;
    fn unregister_event_handler(handler_id: c_int);
    fn trigger_event(event_type: c_int, data: *const c_void);
}

trait EventHandler: Send {
    fn handle_event(&mut self, event_type: i32, data: &[u8]);
}

type Handlers = Arc<Mutex<HashMap<i32, Box<dyn EventHandler>>>>;

struct EventSystem {
    handlers: Handlers,
    registration: Option<(c_int, *mut Handlers)>,
}

impl EventSystem {
    fn new() -> Self {
        EventSystem { handlers: Arc::new(Mutex::new(HashMap::new())), registration: None }
    }

    fn register_handler<H: EventHandler + 'static>(&mut self, event_type: i32, handler: H) {
        self.handlers.lock().unwrap().insert(event_type, Box::new(handler));
    }

    fn start(&mut self) -> Result<(), &'static str> {
        let context = Box::into_raw(Box::new(Arc::clone(&self.handlers)));
        // SAFETY: context stays valid until stop() reclaims it after unregistering.
        let id = unsafe { register_event_handler(event_callback, context as *mut c_void) };
        if id < 0 {
            // SAFETY: C refused it, so nothing else holds the pointer.
            drop(unsafe { Box::from_raw(context) });
            return Err("Failed to register handler");
        }
        self.registration = Some((id, context));
        Ok(())
    }

    fn stop(&mut self) {
        if let Some((id, context)) = self.registration.take() {
            // SAFETY: after unregister returns, libnative never calls the handler again.
            unsafe {
                unregister_event_handler(id);
                drop(Box::from_raw(context));
            }
        }
    }
}

impl Drop for EventSystem {
    fn drop(&mut self) {
        self.stop();
    }
}

const EVENT_SIZE: usize = 64;

extern "C" fn event_callback(event_type: c_int, data: *const c_void, user_data: *mut c_void) {
    if user_data.is_null() {
        return;
    }
    // SAFETY: user_data is the boxed Arc registered in start(), alive until stop().
    let handlers = unsafe { &*(user_data as *const Handlers) };
    let Ok(mut handlers) = handlers.lock() else { return };
    if let Some(handler) = handlers.get_mut(&event_type) {
        let bytes = if data.is_null() {
            &[][..]
        } else {
            // SAFETY: every event this program triggers carries EVENT_SIZE bytes.
            unsafe { std::slice::from_raw_parts(data as *const u8, EVENT_SIZE) }
        };
        handler.handle_event(event_type, bytes);
    }
}

struct LoggingHandler;

impl EventHandler for LoggingHandler {
    fn handle_event(&mut self, event_type: i32, data: &[u8]) {
        println!("Event {}: {} bytes", event_type, data.len());
    }
}

fn main() {
    let mut system = EventSystem::new();
    system.register_handler(1, LoggingHandler);
    if let Err(e) = system.start() {
        eprintln!("Error starting event system: {}", e);
        return;
    }
    let payload = [7u8; EVENT_SIZE];
    // SAFETY: the payload outlives the synchronous calls.
    unsafe {
        trigger_event(1, payload.as_ptr() as *const c_void);
        trigger_event(2, payload.as_ptr() as *const c_void);
        trigger_event(1, std::ptr::null());
    }
    system.stop();
    println!("stopped");
}

// The tutorial's Rust wrappers, timed over the same libnative.so: each case done the way
// the tutorial does it (CString::new per call, CStr::to_str().to_owned(), a closure
// reached through a context pointer). std only.
//
// Usage: bench-rust [CASE ITERATIONS]; prints "name<TAB>ns/op" per case.
use std::ffi::{CStr, CString};
use std::hint::black_box;
use std::os::raw::{c_char, c_double, c_float, c_int, c_void};
use std::time::Instant;

#[repr(C)]
#[derive(Clone, Copy)]
struct Point {
    x: c_double,
    y: c_double,
}

#[repr(C)]
struct Rect {
    top_left: Point,
    bottom_right: Point,
}

type Callback = extern "C" fn(value: c_int, user_data: *mut c_void);

#[link(name = "native")]
extern "C" {
    fn perform_operation(input: c_int) -> c_int;
    fn get_last_error() -> c_int;
    fn calculate_distance(p1: Point, p2: Point) -> c_double;
    fn rect_contains_point(rect: *const Rect, point: Point) -> bool;
    fn register_callback(callback: Callback, user_data: *mut c_void);
    fn process_items(items: *const c_int, count: usize);
    fn unregister_callback();
    fn sum_array(arr: *const c_float, len: usize) -> c_float;
    fn compute_hash(data: *const u8, len: usize) -> u64;
}

extern "C" {
    fn strlen(s: *const c_char) -> usize;
    fn malloc(size: usize) -> *mut c_void;
    fn free(p: *mut c_void);
    fn memcpy(d: *mut c_void, s: *const c_void, n: usize) -> *mut c_void;
}

// The tutorial's wrappers, as it writes them.
fn safe_perform_operation(input: i32) -> Result<i32, i32> {
    let result = unsafe { perform_operation(input) };
    if result < 0 {
        Err(unsafe { get_last_error() })
    } else {
        Ok(result)
    }
}

fn safe_strlen(s: &str) -> usize {
    let c_str = CString::new(s).expect("CString::new failed");
    unsafe { strlen(c_str.as_ptr()) }
}

fn to_owned_string(ptr: *const c_char) -> Option<String> {
    if ptr.is_null() {
        return None;
    }
    let c_str = unsafe { CStr::from_ptr(ptr) };
    c_str.to_str().ok().map(|s| s.to_owned())
}

/// The borrowed form: CStr::to_str measures and validates in place, with no copy.
fn view_len(ptr: *const c_char) -> Option<usize> {
    if ptr.is_null() {
        return None;
    }
    let c_str = unsafe { CStr::from_ptr(ptr) };
    c_str.to_str().ok().map(|s| s.len())
}

fn strdup(source: *const c_char) -> *mut c_char {
    unsafe {
        let n = strlen(source) + 1;
        let copy = malloc(n);
        memcpy(copy, source as *const c_void, n);
        copy as *mut c_char
    }
}

struct CallbackContext<'a> {
    handler: &'a mut dyn FnMut(i32),
}

extern "C" fn trampoline(value: c_int, user_data: *mut c_void) {
    let context = unsafe { &mut *(user_data as *mut CallbackContext) };
    (context.handler)(value);
}

fn process_with_closure(items: &[c_int], handler: &mut dyn FnMut(i32)) {
    let mut context = CallbackContext { handler };
    unsafe {
        register_callback(trampoline, &mut context as *mut _ as *mut c_void);
        process_items(items.as_ptr(), items.len());
        unregister_callback();
    }
}

fn main() {
    let s15 = "a".repeat(15);
    let s16 = "a".repeat(16);
    let s1k = "a".repeat(1024);
    let static16 = CString::new("a".repeat(16)).unwrap();
    let static1k = CString::new("a".repeat(1024)).unwrap();
    let items: Vec<c_int> = (0..1_000_000).map(|i| i & 0xFF).collect();
    let floats: Vec<f32> = (0..1_000_000).map(|i| (i & 0xFF) as f32).collect();
    let bytes64 = vec![7u8; 64];
    let bytes1m = vec![7u8; 1 << 20];
    let p1 = Point { x: 0.0, y: 0.0 };
    let p2 = Point { x: 3.0, y: 4.0 };
    let rect = Rect { top_left: Point { x: 0.0, y: 0.0 }, bottom_right: Point { x: 10.0, y: 10.0 } };

    let mut cases: Vec<(&str, u64, Box<dyn FnMut()>)> = vec![
        ("call", 1, Box::new(|| { black_box(safe_perform_operation(42)); })),
        ("struct-by-value", 1, Box::new(|| { black_box(unsafe { calculate_distance(p1, p2) }); })),
        ("struct-by-pointer", 1, Box::new(|| { black_box(unsafe { rect_contains_point(&rect, p1) }); })),
        ("string-in-15", 1, Box::new(|| { black_box(safe_strlen(black_box(&s15))); })),
        ("string-in-16", 1, Box::new(|| { black_box(safe_strlen(black_box(&s16))); })),
        ("string-in-1k", 1, Box::new(|| { black_box(safe_strlen(black_box(&s1k))); })),
        ("string-out-static-16", 1, Box::new(|| { black_box(to_owned_string(static16.as_ptr())); })),
        ("string-out-static-1k", 1, Box::new(|| { black_box(to_owned_string(static1k.as_ptr())); })),
        ("string-out-owned-16", 1, Box::new(|| {
            let p = strdup(static16.as_ptr());
            black_box(to_owned_string(p));
            unsafe { free(p as *mut c_void) };
        })),
        ("string-out-owned-1k", 1, Box::new(|| {
            let p = strdup(static1k.as_ptr());
            black_box(to_owned_string(p));
            unsafe { free(p as *mut c_void) };
        })),
        ("string-view-16", 1, Box::new(|| { black_box(view_len(black_box(static16.as_ptr()))); })),
        ("string-view-1k", 1, Box::new(|| { black_box(view_len(black_box(static1k.as_ptr()))); })),
        ("callback-1e6", 1_000_000, Box::new(|| {
            let mut total: i64 = 0;
            process_with_closure(&items, &mut |v| total += v as i64);
            black_box(total);
        })),
        ("sum-1e6", 1, Box::new(|| { black_box(unsafe { sum_array(floats.as_ptr(), floats.len()) }); })),
        ("hash-64", 1, Box::new(|| { black_box(unsafe { compute_hash(bytes64.as_ptr(), 64) }); })),
        ("hash-1M", 1, Box::new(|| { black_box(unsafe { compute_hash(bytes1m.as_ptr(), bytes1m.len()) }); })),
    ];

    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 {
        let count: u64 = args[2].parse().expect("count");
        for (name, _, run) in cases.iter_mut() {
            if *name == args[1] {
                for _ in 0..count {
                    run();
                }
                return;
            }
        }
        eprintln!("unknown case {}", args[1]);
        std::process::exit(2);
    }
    for (name, operations, run) in cases.iter_mut() {
        run();
        let mut repeats: u64 = 1;
        loop {
            let start = Instant::now();
            for _ in 0..repeats {
                run();
            }
            if start.elapsed().as_secs_f64() >= 0.01 || repeats >= 1 << 24 {
                break;
            }
            repeats *= 2;
        }
        let mut samples: Vec<f64> = (0..15)
            .map(|_| {
                let start = Instant::now();
                for _ in 0..repeats {
                    run();
                }
                start.elapsed().as_secs_f64() * 1e9 / (repeats * *operations) as f64
            })
            .collect();
        samples.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!("{}\t{:.4}", name, samples[7]);
    }
}

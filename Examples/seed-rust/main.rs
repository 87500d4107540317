// A Rust program written against the tutorial's extern declarations (std only), to prove
// libnative keeps the tutorial's ABI for Rust callers too. scripts/seed-compat builds it
// against libnative.so and compares its output with expected.txt.
use std::ffi::{CStr, CString};
use std::os::raw::{c_char, c_double, c_float, c_int, c_void};

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

#[repr(C)]
#[derive(Clone, Copy)]
struct Color {
    r: u8,
    g: u8,
    b: u8,
    a: u8,
}

#[repr(C)]
struct OpaqueHandle {
    _private: [u8; 0],
}

type Callback = extern "C" fn(value: c_int, user_data: *mut c_void);

#[link(name = "native")]
extern "C" {
    fn compute_hash(data: *const u8, len: usize) -> u64;
    fn process_array(arr: *mut i32, len: usize) -> c_int;
    fn get_version() -> *const c_char;
    fn set_name(name: *const c_char) -> bool;
    fn get_error_message() -> *mut c_char;
    fn free_string(s: *mut c_char);
    fn calculate_distance(p1: Point, p2: Point) -> c_double;
    fn rect_contains_point(rect: *const Rect, point: Point) -> bool;
    fn create_gradient(start: Color, end: Color, steps: c_int) -> *mut Color;
    fn free_colors(colors: *mut Color);
    fn register_callback(callback: Callback, user_data: *mut c_void);
    fn process_items(items: *const c_int, count: usize);
    fn unregister_callback();
    fn create_handle(config: *const u8, len: usize) -> *mut OpaqueHandle;
    fn use_handle(handle: *const OpaqueHandle) -> i32;
    fn destroy_handle(handle: *mut OpaqueHandle);
    fn perform_operation(input: c_int) -> c_int;
    fn get_last_error() -> c_int;
    fn get_error_string(error_code: c_int) -> *const c_char;
    fn sum_array(arr: *const c_float, len: usize) -> c_float;
    fn modify_array(arr: *mut c_int, len: usize);
    fn allocate_buffer(size: usize) -> *mut u8;
    fn free_buffer(ptr: *mut u8);
    fn fill_buffer(buffer: *mut u8, size: usize, pattern: u8);
    fn get_data() -> *const u8;
    fn allocate_data() -> *mut u8;
    fn free_data(ptr: *mut u8);
    fn store_string(s: *const c_char);
    fn create_buffer(size: usize) -> *mut c_void;
    fn destroy_buffer(buffer: *mut c_void);
    fn get_buffer_data(buffer: *mut c_void) -> *mut u8;
    fn get_buffer_size(buffer: *mut c_void) -> usize;
    fn process_buffer(buffer: *mut c_void) -> i32;
}

struct Totals {
    sum: i64,
    count: i32,
}

extern "C" fn add_item(value: c_int, user_data: *mut c_void) {
    // SAFETY: user_data is the Totals registered below, alive until unregister_callback.
    let totals = unsafe { &mut *(user_data as *mut Totals) };
    totals.sum += value as i64;
    totals.count += 1;
}

fn text(ptr: *const c_char) -> String {
    // SAFETY: every caller passes a valid NUL-terminated string.
    unsafe { CStr::from_ptr(ptr) }.to_str().expect("UTF-8").to_owned()
}

fn main() {
    // SAFETY: each call follows the ownership rules of libnative's header.
    unsafe {
        println!("hash: {:016x}", compute_hash(b"hello".as_ptr(), 5));
        let mut doubled = [1i32, -2, 2_000_000_000];
        let count = process_array(doubled.as_mut_ptr(), 3);
        println!("process_array: {} -> {} {} {}", count, doubled[0], doubled[1], doubled[2]);

        println!("version: {}", text(get_version()));
        let name = CString::new("CApp").unwrap();
        println!("set_name: {}", set_name(name.as_ptr()) as i32);
        let empty = CString::new("").unwrap();
        println!("set_name(empty): {}", set_name(empty.as_ptr()) as i32);
        let message = get_error_message();
        println!("error message: {}", text(message));
        free_string(message);

        println!("distance: {:.1}", calculate_distance(Point { x: 0.0, y: 0.0 }, Point { x: 3.0, y: 4.0 }));
        let rect = Rect { top_left: Point { x: 0.0, y: 0.0 }, bottom_right: Point { x: 10.0, y: 10.0 } };
        println!("contains: {}", rect_contains_point(&rect, Point { x: 5.0, y: 5.0 }) as i32);
        let red = Color { r: 255, g: 0, b: 0, a: 255 };
        let blue = Color { r: 0, g: 0, b: 255, a: 255 };
        let gradient = create_gradient(red, blue, 10);
        let second = *gradient.add(1);
        println!("gradient[1]: {} {} {} {}", second.r, second.g, second.b, second.a);
        free_colors(gradient);

        let mut totals = Totals { sum: 0, count: 0 };
        let items = [10, 20, 30, 40, 50];
        register_callback(add_item, &mut totals as *mut Totals as *mut c_void);
        process_items(items.as_ptr(), items.len());
        unregister_callback();
        println!("callbacks: sum {}, count {}", totals.sum, totals.count);

        let config = b"some configuration";
        let handle = create_handle(config.as_ptr(), config.len());
        println!("handle: {}", use_handle(handle));
        destroy_handle(handle);

        println!("operation(42): {}", perform_operation(42));
        let failed = perform_operation(600_000);
        let code = get_last_error();
        println!("operation(600000): {}, error {} ({})", failed, code, text(get_error_string(code)));

        let floats = [1.0f32, 2.0, 3.0, 4.0, 5.0];
        println!("sum: {:.1}", sum_array(floats.as_ptr(), floats.len()));
        let mut ints = [1, 2, 3, 4, 5];
        modify_array(ints.as_mut_ptr(), ints.len());
        println!("modified: {} {} {} {} {}", ints[0], ints[1], ints[2], ints[3], ints[4]);
        let buffer = allocate_buffer(1024);
        fill_buffer(buffer, 1024, 0xFF);
        println!("buffer[0]: {}", *buffer);
        free_buffer(buffer);

        println!("data[0]: {}", *get_data());
        let data = allocate_data();
        println!("allocated data[1]: {}", *data.add(1));
        free_data(data);
        static KEPT: &[u8] = b"kept\0";
        store_string(KEPT.as_ptr() as *const c_char);
        store_string(std::ptr::null());

        let shared = create_buffer(16);
        let bytes = get_buffer_data(shared);
        for i in 0..get_buffer_size(shared) {
            *bytes.add(i) = (i + 254) as u8;
        }
        let result = process_buffer(shared);
        println!("process_buffer: {} -> {} {} {}", result, *bytes, *bytes.add(1), *bytes.add(2));
        destroy_buffer(shared);
    }
}

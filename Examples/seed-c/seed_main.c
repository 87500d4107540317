/* A C program written against the tutorial's declarations only — it does not include
 * native.h — to prove libnative keeps the tutorial's ABI. scripts/seed-compat builds it
 * against libnative.so and compares its output with expected.txt. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct { double x, y; } Point;
typedef struct { Point top_left, bottom_right; } Rect;
typedef struct { uint8_t r, g, b, a; } Color;
typedef struct OpaqueHandle OpaqueHandle;
typedef void (*Callback)(int value, void *user_data);

uint64_t compute_hash(const uint8_t *data, size_t len);
int process_array(int32_t *arr, size_t len);
const char *get_version(void);
bool set_name(const char *name);
char *get_error_message(void);
void free_string(char *s);
double calculate_distance(Point p1, Point p2);
bool rect_contains_point(const Rect *rect, Point point);
Color *create_gradient(Color start, Color end, int steps);
void free_colors(Color *colors);
void register_callback(Callback callback, void *user_data);
void process_items(const int *items, size_t count);
void unregister_callback(void);
OpaqueHandle *create_handle(const uint8_t *config, size_t len);
int32_t use_handle(const OpaqueHandle *handle);
void destroy_handle(OpaqueHandle *handle);
int perform_operation(int input);
int get_last_error(void);
const char *get_error_string(int error_code);
float sum_array(const float *arr, size_t len);
void modify_array(int *arr, size_t len);
uint8_t *allocate_buffer(size_t size);
void free_buffer(uint8_t *ptr);
void fill_buffer(uint8_t *buffer, size_t size, uint8_t pattern);
const uint8_t *get_data(void);
uint8_t *allocate_data(void);
void free_data(uint8_t *ptr);
void store_string(const char *s);
void *create_buffer(size_t size);
void destroy_buffer(void *buffer);
uint8_t *get_buffer_data(void *buffer);
size_t get_buffer_size(void *buffer);
int process_buffer(void *buffer);

struct Totals { long sum; int count; };

static void add_item(int value, void *user_data) {
    struct Totals *totals = user_data;
    totals->sum += value;
    totals->count += 1;
}

int main(void) {
    const uint8_t hello[] = "hello";
    printf("hash: %016llx\n", (unsigned long long)compute_hash(hello, 5));
    int32_t doubled[] = {1, -2, 2000000000};
    int processed = process_array(doubled, 3);
    printf("process_array: %d -> %d %d %d\n", processed, doubled[0], doubled[1], doubled[2]);

    printf("version: %s\n", get_version());
    printf("set_name: %d\n", set_name("CApp"));
    printf("set_name(empty): %d\n", set_name(""));
    char *message = get_error_message();
    printf("error message: %s\n", message ? message : "(none)");
    free_string(message);

    printf("distance: %.1f\n", calculate_distance((Point){0, 0}, (Point){3, 4}));
    Rect rect = {{0, 0}, {10, 10}};
    printf("contains: %d\n", rect_contains_point(&rect, (Point){5, 5}));
    Color *gradient = create_gradient((Color){255, 0, 0, 255}, (Color){0, 0, 255, 255}, 10);
    printf("gradient[1]: %u %u %u %u\n", gradient[1].r, gradient[1].g, gradient[1].b, gradient[1].a);
    free_colors(gradient);

    struct Totals totals = {0, 0};
    int items[] = {10, 20, 30, 40, 50};
    register_callback(add_item, &totals);
    process_items(items, 5);
    unregister_callback();
    printf("callbacks: sum %ld, count %d\n", totals.sum, totals.count);

    const uint8_t config[] = "some configuration";
    OpaqueHandle *handle = create_handle(config, sizeof config - 1);
    printf("handle: %d\n", use_handle(handle));
    destroy_handle(handle);

    printf("operation(42): %d\n", perform_operation(42));
    int failed = perform_operation(600000);
    int code = get_last_error();
    printf("operation(600000): %d, error %d (%s)\n", failed, code, get_error_string(code));

    float floats[] = {1, 2, 3, 4, 5};
    printf("sum: %.1f\n", sum_array(floats, 5));
    int ints[] = {1, 2, 3, 4, 5};
    modify_array(ints, 5);
    printf("modified: %d %d %d %d %d\n", ints[0], ints[1], ints[2], ints[3], ints[4]);
    uint8_t *buffer = allocate_buffer(1024);
    fill_buffer(buffer, 1024, 0xFF);
    printf("buffer[0]: %u\n", buffer[0]);
    free_buffer(buffer);

    printf("data[0]: %u\n", get_data()[0]);
    uint8_t *data = allocate_data();
    printf("allocated data[1]: %u\n", data[1]);
    free_data(data);
    static const char kept[] = "kept";
    store_string(kept);
    store_string(NULL);

    void *shared = create_buffer(16);
    uint8_t *bytes = get_buffer_data(shared);
    for (size_t i = 0; i < get_buffer_size(shared); i++) {
        bytes[i] = (uint8_t)(i + 254);
    }
    int result = process_buffer(shared);
    printf("process_buffer: %d -> %u %u %u\n", result, bytes[0], bytes[1], bytes[2]);
    destroy_buffer(shared);
    return 0;
}

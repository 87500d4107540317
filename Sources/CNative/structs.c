/* Example 3: structs by value and by pointer, and an array of structs the caller frees. */
#include "native_internal.h"

#include <math.h>

double calculate_distance(Point p1, Point p2) {
    return hypot(p2.x - p1.x, p2.y - p1.y);
}

bool rect_contains_point(const Rect *rect, Point point) {
    if (rect == NULL) {
        return false;
    }
    double x1 = rect->top_left.x, x2 = rect->bottom_right.x;
    double y1 = rect->top_left.y, y2 = rect->bottom_right.y;
    if (isnan(x1) || isnan(x2) || isnan(y1) || isnan(y2) || isnan(point.x) || isnan(point.y)) {
        return false;
    }
    double left = x1 < x2 ? x1 : x2, right = x1 < x2 ? x2 : x1;
    double low = y1 < y2 ? y1 : y2, high = y1 < y2 ? y2 : y1;
    return point.x >= left && point.x <= right && point.y >= low && point.y <= high;
}

/* start + (end - start) * step / last, rounded half away from zero, without overflow:
 * |difference * step| ≤ 255 * 2^20. */
static uint8_t interpolate(uint8_t start, uint8_t end, long long step, long long last) {
    long long difference = (long long)end - (long long)start;
    long long numerator = difference * step;
    long long offset = numerator >= 0 ? (2 * numerator + last) / (2 * last)
                                       : -((-2 * numerator + last) / (2 * last));
    return (uint8_t)(start + offset);
}

Color *create_gradient(Color start, Color end, int steps) {
    if (steps <= 0 || steps > NATIVE_GRADIENT_MAX_STEPS) {
        native_set_error(NATIVE_ERROR_INVALID_INPUT,
                         "steps must be in 1...%d, got %d",
                         NATIVE_GRADIENT_MAX_STEPS, steps);
        return NULL;
    }
    Color *colors = native_alloc(sizeof(Color) * (size_t)steps);
    if (colors == NULL) {
        native_set_error(NATIVE_ERROR_OUT_OF_MEMORY, "no memory for %d colors", steps);
        return NULL;
    }
    long long last = steps - 1;
    for (int i = 0; i < steps; i++) {
        if (last == 0) {
            colors[i] = start;
            continue;
        }
        colors[i] = (Color){
            .r = interpolate(start.r, end.r, i, last),
            .g = interpolate(start.g, end.g, i, last),
            .b = interpolate(start.b, end.b, i, last),
            .a = interpolate(start.a, end.a, i, last),
        };
    }
    native_clear_error();
    return colors;
}

void free_colors(Color *colors) {
    native_free(colors);
}

/* SDL2's C API for Swift, from the system's libSDL2 (Debian: libsdl2-dev). The headers are
 * not ours: what Swift may assume about their pointers is in CSDL2.apinotes. SDL's own
 * switch keeps the compiler's intrinsics headers out (a quarter of the declarations). */
#ifndef CSDL2_H
#define CSDL2_H

#define SDL_DISABLE_IMMINTRIN_H 1
#include <SDL2/SDL.h>

#endif

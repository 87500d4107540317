/* zlib's C API for Swift, from the system's libz (Debian: zlib1g-dev). The header is not
 * ours: what Swift may assume about its pointers is in CZlib.apinotes. */
#ifndef CZLIB_H
#define CZLIB_H

#include <zlib.h>

#endif

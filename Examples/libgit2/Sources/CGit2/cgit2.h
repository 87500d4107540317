/* libgit2's C API for Swift, from the system's libgit2 (Debian: libgit2-dev). The headers
 * are not ours: what Swift may assume about their pointers is in CGit2.apinotes. */
#ifndef CGIT2_H
#define CGIT2_H

#include <git2.h>

#endif

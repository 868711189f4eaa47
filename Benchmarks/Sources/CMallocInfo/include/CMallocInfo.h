#ifndef CMALLOCINFO_H
#define CMALLOCINFO_H

#include <stddef.h>

/// Bytes the C allocator currently hands out (glibc mallinfo2: uordblks + hblkhd), or -1 where
/// mallinfo2 is unavailable.
long long cmallocinfo_in_use(void);

#endif

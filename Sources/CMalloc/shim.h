// glibc's allocator controls (mallopt and its M_* parameters), which the Glibc module does not export.
#include <malloc.h>

#include <cblas.h>

// OpenBLAS's own thread server: ends the worker threads it started when the library was loaded (they
// spin for a while before sleeping). Exported by OpenBLAS's pthread builds but not declared in cblas.h;
// returns 0. A later multi-threaded call would start them again.
int blas_thread_shutdown_(void);

#include <stdint.h>
typedef void (*callback)(int32_t code);
void set_callback(void (*on_done)(void* user), void* user);
typedef struct hooks { int32_t (*hook)(int32_t); } hooks;

/* Pointers keep their depth; const only shows in [NativeTypeName]. */
#include <stddef.h>
#include <stdint.h>

typedef struct buffer buffer;

int32_t copy_bytes(const void* source, void* destination, size_t nbytes);
int32_t get_data(buffer* b, void** out_data);
const char* name_of(const buffer* b);
int32_t set_names(char** names, const char* const* const_names, int32_t count);
int32_t shapes(const int64_t* shape, int64_t** out_shape, uint32_t* const fixed_pointer, buffer*** triple);

/* Structs that are declared but never defined become empty C# structs used through pointers. */
#include <stdint.h>

typedef struct engine engine;
struct widget;

/* Creates an engine. */
int32_t engine_create(engine** out_engine);
void engine_release(engine* e);
int32_t engine_attach(const engine* e, const struct widget* w, struct widget** out_widget);

/* Redeclaring a handle or a function binds it once. */
typedef struct engine engine;
void engine_release(engine* e);

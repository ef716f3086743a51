#include "ext/external.h"
void uses_external(external_thing* thing, external_kind kind);

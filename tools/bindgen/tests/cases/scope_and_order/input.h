/* Only declarations under --scope inc are bound, in include order then declaration order. */
#include "inc/second.h"
#include "inc/first.h"
#include "ext/external.h"

/* input.h itself is outside the scope too. */
void not_bound(void);

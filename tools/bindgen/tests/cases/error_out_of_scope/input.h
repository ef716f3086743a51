#include "ext/external.h"
#include "inc/api.h"

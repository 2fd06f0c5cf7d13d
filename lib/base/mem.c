/* The frees that go with what the library hands back (include/bti/mem.h). */
#include <stdlib.h>
#include "bti/mem.h"

/* Free a string the library returned; NULL is accepted. */
void bti_free(void *p)
{
    free(p);
}

/* Free a JSON object the library returned; NULL is accepted. */
void bti_json_free(cJSON *obj)
{
    cJSON_Delete(obj);
}

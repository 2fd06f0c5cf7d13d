/* One row of any entity as JSON, for `bti show ENTITY ID`: a case as case
 * show has it, a person with their identity, any other row as stored. */
#include <string.h>
#include "bti/case.h"
#include "store/store.h"
#include "person.h"
#include "base/intl.h"

/* Columns that hold a 0/1 flag, printed as true/false. */
static const char *const bool_columns[] = {
    "expected", "may_consent",    "case_reviews", "anonymous",
    "active",   "user_preferred", "own_system",
};

/* Turn the flag columns of obj into JSON booleans. */
static void flags_to_bools(cJSON *obj)
{
    for (size_t i = 0; i < sizeof bool_columns / sizeof bool_columns[0]; i++) {
        cJSON *v = cJSON_GetObjectItem(obj, bool_columns[i]);
        if (cJSON_IsNumber(v))
            cJSON_ReplaceItemInObject(obj, bool_columns[i], cJSON_CreateBool(v->valuedouble != 0));
    }
}

int bti_entity_get(struct bti_db *db, const char *entity, long long id, cJSON **out)
{
    if (strcmp(entity, "ke_case") == 0)
        return bti_case_show(db, id, out);
    *out = strcmp(entity, "person") == 0 ? person_object(db, id) : db_row_json(db, entity, id);
    if (!*out)
        return bti_error_code() ? bti_error_code()
                                : bti_error_set(BTI_ENOTFOUND, _("no %s %lld"), entity, id);
    flags_to_bools(*out);
    return 0;
}

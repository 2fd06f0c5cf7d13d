/* The unit-test runner: one suite per tests/unit/check_<module>.c, listed in
 * the generated suites.h.  Fails when any test fails. */
#include <check.h>
#include <stdlib.h>

#define SUITE(name) Suite *make_##name##_suite(void);
#include "suites.h"
#undef SUITE

int main(void)
{
    SRunner *sr = srunner_create(NULL);
#define SUITE(name) srunner_add_suite(sr, make_##name##_suite());
#include "suites.h"
#undef SUITE
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

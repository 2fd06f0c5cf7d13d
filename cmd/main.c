/* bti: the working tool of a municipality's koordinerende enhet. */
#include "cmd.h"

int main(int argc, char **argv)
{
    return bti_main(argc, argv);
}

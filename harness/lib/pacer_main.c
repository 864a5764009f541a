/* pacer_main.c: the default main() of a suite binary (an archive member of
 * libpacer.a, linked only when the suite defines no main of its own). */
#include "pacer.h"

int main(int argc, char **argv)
{
    return pacer_main(argc, argv);
}

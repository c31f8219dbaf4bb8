// Explicit instantiations of the APB test block model.
#include "tests/apb_testblock_model.h"

template class tests::ApbTestblockModel<8>;
template class tests::ApbTestblockModel<16>;
template class tests::ApbTestblockModel<32>;

// libH5Zzstd_eqsweep.so: filter 32015 (Zstandard) as an HDF5 dynamic plugin, for readers outside
// eqsweep (h5dump, h5py, xarray) where no other Zstd filter is installed. Put its directory on
// HDF5_PLUGIN_PATH (see docs/cube-format.md).

#include <H5PLextern.h>

#include "engine/codecs/zstd_filter.hpp"

extern "C" H5PL_type_t H5PLget_plugin_type(void) { return H5PL_TYPE_FILTER; }
extern "C" const void* H5PLget_plugin_info(void) { return eqsweep_zstd_filter_class(); }

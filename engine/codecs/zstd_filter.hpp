#pragma once
// The HDF5 filter 32015 (Zstandard; cd_values [level]) as an H5Z class: the engine registers it
// in-process (register_zstd_filter), and the plugin library libH5Zzstd_eqsweep.so hands it to
// any HDF5 reader that finds the plugin on its HDF5_PLUGIN_PATH. Depends only on HDF5 and libzstd.

#include <hdf5.h>

extern "C" const H5Z_class2_t* eqsweep_zstd_filter_class(void);

# Second build file, kept working for node-gyp users; CMakeLists.txt is the build of record and
# explains the flags. Same sources, defines and flags:
#   npx node-gyp rebuild                        # -march=native
# Output: build/Release/alsrec_native.node, the path of cmake-js's -march=native variant, which the
# loader prefers. It is a source build for this machine only: node-gyp compiles every file with
# the same flags, so (unlike CMakeLists.txt's per-level objects, whose CPU check is compiled for
# baseline x86-64) its CPU check is itself built with -march=native.
{
  "targets": [
    {
      "target_name": "alsrec_native",
      "sources": [
        "native/binding.cpp", "native/worker_pool.cpp", "native/kernel_support.cpp",
        "native/cg_solver.cpp", "native/cholesky_solver.cpp", "native/scoring.cpp",
        "native/ease.cpp", "native/cpu_check.cpp", "native/target_features.cpp"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS",
        "EIGEN_NO_DEBUG",
        "EIGEN_MPL2_ONLY",
        "EIGEN_DONT_PARALLELIZE"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
      "cflags_cc": [
        "-std=c++17",
        "-O3",
        "-ffp-contract=fast",
        "-fvisibility=hidden",
        "-Wall", "-Wextra", "-Wpedantic", "-Wshadow", "-Wno-maybe-uninitialized",
        "-isystem", "<(module_root_dir)/native/vendor/eigen",
        "-isystem", "<!(node -p \"require('path').dirname(require.resolve('node-addon-api/package.json'))\")"
      ],
      "conditions": [
        ["OS!='win'", { "cflags_cc": ["-march=native"] }],
        ["OS=='mac'", {
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "GCC_SYMBOLS_PRIVATE_EXTERN": "YES",
            "OTHER_CPLUSPLUSFLAGS": [
              "-O3", "-ffp-contract=fast",
              "-isystem", "<(module_root_dir)/native/vendor/eigen",
              "-isystem", "<!(node -p \"require('path').dirname(require.resolve('node-addon-api/package.json'))\")"
            ]
          }
        }],
        ["OS=='win'", {
          "include_dirs": ["native/vendor/eigen", "<!(node -p \"require('node-addon-api').include_dir\")"],
          "msvs_settings": {
            "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17", "/O2"] }
          }
        }]
      ]
    }
  ]
}

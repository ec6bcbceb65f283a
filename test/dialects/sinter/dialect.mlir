// RUN: sinter-opt %s --show-dialects | FileCheck %s
// sinter-opt registers Sinter's own dialects beside upstream ones.
// CHECK-DAG: graph
// CHECK-DAG: sinter

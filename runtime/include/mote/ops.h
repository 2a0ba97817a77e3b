// Registrations of mote's builtin operators. Register only what a model uses
// (mote export generates exactly that list) or all of them with
// register_all_ops().
#pragma once

#include "mote/op.h"

namespace mote {
class OpResolver;

namespace ops {

const OpRegistration& add();
const OpRegistration& average_pool_2d();
const OpRegistration& cast();
const OpRegistration& concatenation();
const OpRegistration& conv_2d();
const OpRegistration& depthwise_conv_2d();
const OpRegistration& dequantize();
const OpRegistration& div();
const OpRegistration& expand_dims();
const OpRegistration& fully_connected();
const OpRegistration& hard_swish();
const OpRegistration& leaky_relu();
const OpRegistration& logistic();
const OpRegistration& max_pool_2d();
const OpRegistration& maximum();
const OpRegistration& mean();
const OpRegistration& minimum();
const OpRegistration& mul();
const OpRegistration& pad();
const OpRegistration& pad_v2();
const OpRegistration& quantize();
const OpRegistration& relu();
const OpRegistration& relu6();
const OpRegistration& reshape();
const OpRegistration& softmax();
const OpRegistration& squeeze();
const OpRegistration& strided_slice();
const OpRegistration& sub();
const OpRegistration& svdf();
const OpRegistration& tanh();
const OpRegistration& transpose();
const OpRegistration& unidirectional_sequence_lstm();

}  // namespace ops

// Adds every builtin operator mote implements to `resolver`.
Status register_all_ops(OpResolver& resolver);

}  // namespace mote

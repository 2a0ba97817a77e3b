// Trains mote's bundled default model: a 1-16-16-1 MLP (ReLU) that fits
// y = sin(x) on [0, 2*pi], with full-batch Adam in plain C++. Writes
//   sine_float.tflite   the float32 model (three FULLY_CONNECTED ops)
//   calibration.npy     [N,1] float32 inputs, representative data for quantization
//   holdout.npy         [M,1] float32 inputs from the same distribution, not used in training
//   sample_input.npy    [1,1] float32, x = 1.0, for `mote run`
// Usage: train_sine_model OUT_DIR
#include <math.h>
#include <stdio.h>

#include <string.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "tools/model_builder.h"
#include "tools/tensor_io.h"

namespace {

constexpr int kHidden = 16;
constexpr double kTwoPi = 6.283185307179586;
constexpr double kWeightDecay = 0.05;

struct Layer {
  int in, out;
  std::vector<double> w, b;  // w[o * in + i]
  std::vector<double> gw, gb, mw, vw, mb, vb;
  Layer(int in_, int out_, std::mt19937& rng) : in(in_), out(out_) {
    std::normal_distribution<double> n(0.0, sqrt(2.0 / in));
    w.resize(size_t(in * out));
    for (auto& x : w) x = n(rng);
    // A small positive bias keeps ReLU units alive at the start of training.
    b.assign(size_t(out), 0.1);
    gw.assign(w.size(), 0);
    gb.assign(b.size(), 0);
    mw = vw = gw;
    mb = vb = gb;
  }
};

struct Mlp {
  std::vector<Layer> layers;
  explicit Mlp(std::mt19937& rng) {
    layers.emplace_back(1, kHidden, rng);
    layers.emplace_back(kHidden, kHidden, rng);
    layers.emplace_back(kHidden, 1, rng);
  }

  // Forward pass keeping every layer's activations for backprop.
  double forward(double x, std::vector<std::vector<double>>* acts) const {
    std::vector<double> a = {x};
    if (acts) acts->push_back(a);
    for (size_t l = 0; l < layers.size(); ++l) {
      const Layer& L = layers[l];
      std::vector<double> z(size_t(L.out));
      for (int o = 0; o < L.out; ++o) {
        double s = L.b[size_t(o)];
        for (int i = 0; i < L.in; ++i) s += L.w[size_t(o * L.in + i)] * a[size_t(i)];
        z[size_t(o)] = (l + 1 < layers.size() && s < 0) ? 0 : s;
      }
      a = z;
      if (acts) acts->push_back(a);
    }
    return a[0];
  }

  double train_step(const std::vector<double>& xs, const std::vector<double>& ys, double lr, int t) {
    for (auto& L : layers) {
      std::fill(L.gw.begin(), L.gw.end(), 0);
      std::fill(L.gb.begin(), L.gb.end(), 0);
    }
    double loss = 0;
    for (size_t k = 0; k < xs.size(); ++k) {
      std::vector<std::vector<double>> acts;
      double y = forward(xs[k], &acts);
      double err = y - ys[k];
      loss += err * err;
      std::vector<double> delta = {2 * err / double(xs.size())};
      for (int l = int(layers.size()) - 1; l >= 0; --l) {
        Layer& L = layers[size_t(l)];
        const auto& in = acts[size_t(l)];
        std::vector<double> prev(size_t(L.in), 0.0);
        for (int o = 0; o < L.out; ++o) {
          L.gb[size_t(o)] += delta[size_t(o)];
          for (int i = 0; i < L.in; ++i) {
            L.gw[size_t(o * L.in + i)] += delta[size_t(o)] * in[size_t(i)];
            prev[size_t(i)] += delta[size_t(o)] * L.w[size_t(o * L.in + i)];
          }
        }
        if (l > 0)
          for (int i = 0; i < L.in; ++i)
            if (in[size_t(i)] <= 0) prev[size_t(i)] = 0;  // ReLU derivative
        delta = prev;
      }
    }
    const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    // Decoupled weight decay (AdamW) keeps weights small and spares the network
    // from relying on large cancelling terms, which int8 weights cannot carry.
    auto adam = [&](std::vector<double>& p, std::vector<double>& g, std::vector<double>& m, std::vector<double>& v,
                    double decay) {
      for (size_t i = 0; i < p.size(); ++i) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        double mh = m[i] / (1 - pow(b1, t)), vh = v[i] / (1 - pow(b2, t));
        p[i] -= lr * (mh / (sqrt(vh) + eps) + decay * p[i]);
      }
    };
    for (auto& L : layers) {
      adam(L.w, L.gw, L.mw, L.vw, kWeightDecay);
      adam(L.b, L.gb, L.mb, L.vb, 0.0);
    }
    return loss / double(xs.size());
  }
};

std::vector<double> uniform_points(std::mt19937& rng, int n) {
  std::uniform_real_distribution<double> u(0.0, kTwoPi);
  std::vector<double> xs(static_cast<size_t>(n));
  for (auto& x : xs) x = u(rng);
  return xs;
}

void write_points(const std::string& path, const std::vector<double>& xs) {
  std::vector<float> f(xs.begin(), xs.end());
  std::vector<uint8_t> bytes(f.size() * 4);
  memcpy(bytes.data(), f.data(), bytes.size());
  mote::tools::write_npy(path, mote::DType::kFloat32, {int32_t(xs.size()), 1}, bytes);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s OUT_DIR\n  trains the bundled sine model and writes it with its data to OUT_DIR\n",
            argv[0]);
    return 2;
  }
  const std::string out = argv[1];
  std::filesystem::create_directories(out);
  std::mt19937 rng(3);
  Mlp mlp(rng);
  std::vector<double> xs = uniform_points(rng, 400), ys;
  for (double x : xs) ys.push_back(sin(x));
  double loss = 0;
  const int steps = 5000;
  for (int t = 1; t <= steps; ++t) {
    loss = mlp.train_step(xs, ys, t < 3000 ? 0.005 : 0.001, t);
    if (t % 500 == 0) {
      printf("\rtraining sine MLP: step %4d/%d  mse %.5f", t, steps, loss);
      fflush(stdout);
    }
  }
  printf("\n");

  using mote::DType;
  using mote::tools::Options;
  using mote::tools::TensorSpec;
  namespace s = mote::schema;
  mote::tools::ModelBuilder b;
  b.set_description("mote sine MLP 1-16-16-1 (trained by examples/sine_model)");
  int x = b.add_tensor({"x", DType::kFloat32, {1, 1}});
  int prev = x;
  for (size_t l = 0; l < mlp.layers.size(); ++l) {
    const Layer& L = mlp.layers[l];
    std::vector<float> w(L.w.begin(), L.w.end()), bias(L.b.begin(), L.b.end());
    std::string n = "dense_" + std::to_string(l);
    int wt = b.add_tensor(TensorSpec::constant(n + "/weights", DType::kFloat32, {L.out, L.in}, w));
    int bt = b.add_tensor(TensorSpec::constant(n + "/bias", DType::kFloat32, {L.out}, bias));
    bool last = l + 1 == mlp.layers.size();
    int y = b.add_tensor({last ? std::string("y") : n + "/relu", DType::kFloat32, {1, L.out}});
    b.add_operator(s::BuiltinOp::kFullyConnected, {prev, wt, bt}, {y},
                   Options(s::OptionsType::kFullyConnected)
                       .i8(s::fully_connected_options::fused_activation_function,
                           int8_t(last ? s::Activation::kNone : s::Activation::kRelu)));
    prev = y;
  }
  b.set_inputs({x});
  b.set_outputs({prev});
  auto bytes = b.serialize();
  FILE* f = fopen((out + "/sine_float.tflite").c_str(), "wb");
  if (!f || fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) {
    fprintf(stderr, "cannot write %s/sine_float.tflite\n", out.c_str());
    return 1;
  }
  fclose(f);
  write_points(out + "/calibration.npy", uniform_points(rng, 500));
  write_points(out + "/holdout.npy", uniform_points(rng, 200));
  write_points(out + "/sample_input.npy", {1.0});
  double max_err = 0;
  for (int i = 0; i <= 100; ++i) {
    double xv = kTwoPi * i / 100;
    max_err = std::max(max_err, fabs(mlp.forward(xv, nullptr) - sin(xv)));
  }
  printf("wrote %s/sine_float.tflite (%zu bytes), calibration.npy, holdout.npy, sample_input.npy\n", out.c_str(),
         bytes.size());
  printf("float model: final mse %.5f, max |f(x) - sin(x)| on a 101-point grid %.4f\n", loss, max_err);
  return 0;
}

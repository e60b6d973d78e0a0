#include "face/itk_registration.h"

#include <itkAmoebaOptimizerv4.h>
#include <itkObjectToObjectMetricBase.h>
#include <itkImage.h>
#include <itkMultiThreaderBase.h>
#include <itkSignedMaurerDistanceMapImageFilter.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <mutex>

namespace radveil::face {
namespace {

using FloatImage = itk::Image<float, 3>;
// Nelder-Mead on 12 parameters from a polished start converges in a few hundred steps.
constexpr unsigned kAffineIterations = 600;
using MaskImage = itk::Image<unsigned char, 3>;

// ITK would otherwise start a thread pool as wide as the machine under every worker.
void single_threaded() {
  static std::once_flag once;
  std::call_once(once, [] {
    itk::MultiThreaderBase::SetGlobalDefaultThreader(itk::MultiThreaderBase::ThreaderEnum::Platform);
    itk::MultiThreaderBase::SetGlobalMaximumNumberOfThreads(1);
    itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(1);
  });
}

template <typename Image, typename T>
typename Image::Pointer make_image(const std::vector<T>& values, const DenseGrid& g) {
  auto image = Image::New();
  typename Image::SizeType size;
  size[0] = static_cast<itk::SizeValueType>(g.nx), size[1] = static_cast<itk::SizeValueType>(g.ny),
  size[2] = static_cast<itk::SizeValueType>(g.nz);
  image->SetRegions(typename Image::RegionType(size));
  const double origin[3] = {g.lo[0], g.lo[1], g.lo[2]};
  image->SetOrigin(origin);
  image->SetSpacing(g.step);
  image->Allocate();
  // Both store x fastest, then y, then z.
  std::copy(values.begin(), values.end(), image->GetBufferPointer());
  return image;
}

}  // namespace

std::vector<float> signed_distance_mm(const std::vector<std::uint8_t>& inside, const DenseGrid& grid) {
  single_threaded();
  auto mask = make_image<MaskImage>(inside, grid);
  auto filter = itk::SignedMaurerDistanceMapImageFilter<MaskImage, FloatImage>::New();
  filter->SetInput(mask);
  filter->SetInsideIsPositive(false);
  filter->SetSquaredDistance(false);
  filter->SetUseImageSpacing(true);
  filter->SetBackgroundValue(0);
  filter->SetNumberOfWorkUnits(1);
  filter->Update();
  const FloatImage* out = filter->GetOutput();
  return std::vector<float>(out->GetBufferPointer(), out->GetBufferPointer() + grid.size());
}

namespace {

// The surface score as an ITK cost function of the 12 parameters of an affine map about a centre:
// q -> A (q - c) + c + t, A row by row, then t.
class AffineSurfaceCost : public itk::ObjectToObjectMetricBaseTemplate<double> {
 public:
  using Self = AffineSurfaceCost;
  using Superclass = itk::ObjectToObjectMetricBaseTemplate<double>;
  using Pointer = itk::SmartPointer<Self>;
  itkNewMacro(Self);

  std::function<double(const LinearMap&)> cost;
  Vec3 centre{};

  static LinearMap to_map(const ParametersType& p, const Vec3& c) {
    LinearMap f;
    for (int r = 0; r < 3; ++r)
      for (int k = 0; k < 3; ++k) f.m[r][k] = p[static_cast<unsigned>(3 * r + k)];
    const Vec3 ac = {dot(f.m[0], c), dot(f.m[1], c), dot(f.m[2], c)};
    for (int r = 0; r < 3; ++r) f.offset[r] = c[r] - ac[r] + p[static_cast<unsigned>(9 + r)];
    return f;
  }
  static ParametersType from_map(const LinearMap& f, const Vec3& c) {
    ParametersType p(12);
    for (int r = 0; r < 3; ++r)
      for (int k = 0; k < 3; ++k) p[static_cast<unsigned>(3 * r + k)] = f.m[r][k];
    const Vec3 moved = f.apply(c);
    for (int r = 0; r < 3; ++r) p[static_cast<unsigned>(9 + r)] = moved[r] - c[r];
    return p;
  }

  void Initialize() override {}
  MeasureType GetValue() const override { return cost(to_map(parameters_, centre)); }
  void GetDerivative(DerivativeType&) const override { itkExceptionMacro("no derivative: a derivative-free optimizer only"); }
  void GetValueAndDerivative(MeasureType& value, DerivativeType& derivative) const override {
    value = GetValue();
    GetDerivative(derivative);
  }
  NumberOfParametersType GetNumberOfParameters() const override { return 12; }
  NumberOfParametersType GetNumberOfLocalParameters() const override { return 12; }
  void SetParameters(ParametersType& params) override { parameters_ = params; }
  const ParametersType& GetParameters() const override { return parameters_; }
  bool HasLocalSupport() const override { return false; }
  void UpdateTransformParameters(const DerivativeType& update, ParametersValueType factor) override {
    for (unsigned i = 0; i < parameters_.size(); ++i) parameters_[i] += factor * update[i];
  }

 protected:
  AffineSurfaceCost() : parameters_(12) {}
  ~AffineSurfaceCost() override = default;

 private:
  ParametersType parameters_;
};

}  // namespace

std::optional<AffineFit> refine_affine(const std::function<double(const LinearMap&)>& cost, const LinearMap& start,
                                       const Vec3& centre, std::string& why) {
  single_threaded();
  auto metric = AffineSurfaceCost::New();
  metric->cost = cost;
  metric->centre = centre;
  auto initial = AffineSurfaceCost::from_map(start, centre);
  metric->SetParameters(initial);
  auto optimizer = itk::AmoebaOptimizerv4::New();
  optimizer->SetMetric(metric);
  itk::AmoebaOptimizerv4::ParametersType delta(12);
  for (unsigned i = 0; i < 9; ++i) delta[i] = 0.03;        // 3% of scale or shear, about 2 degrees
  for (unsigned i = 9; i < 12; ++i) delta[i] = 2.0;        // mm
  optimizer->SetInitialSimplexDelta(delta);
  optimizer->SetNumberOfIterations(kAffineIterations);
  optimizer->SetParametersConvergenceTolerance(0.01);
  optimizer->SetFunctionConvergenceTolerance(0.0005);
  optimizer->SetNumberOfWorkUnits(1);
  try {
    optimizer->StartOptimization();
  } catch (const itk::ExceptionObject&) {
    why = "the affine refinement failed";
    return std::nullopt;
  }
  AffineFit fit;
  fit.map = AffineSurfaceCost::to_map(optimizer->GetCurrentPosition(), centre);
  fit.cost = cost(fit.map);
  fit.iterations = static_cast<int>(optimizer->GetCurrentIteration());
  fit.stop = optimizer->GetStopConditionDescription();
  if (!std::isfinite(fit.cost) || std::abs(fit.map.determinant()) < 1e-3) {
    why = "the affine refinement diverged";
    return std::nullopt;
  }
  return fit;
}

}  // namespace radveil::face

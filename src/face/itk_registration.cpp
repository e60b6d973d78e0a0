#include "face/itk_registration.h"

#include <itkAffineTransform.h>
#include <itkAmoebaOptimizerv4.h>
#include <itkImageMaskSpatialObject.h>
#include <itkImageRegistrationMethodv4.h>
#include <itkMattesMutualInformationImageToImageMetricv4.h>
#include <itkRegistrationParameterScalesFromPhysicalShift.h>
#include <itkRegularStepGradientDescentOptimizerv4.h>
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

// A finished optimization as a fit, or nullopt with `why` where it diverged.
template <typename Optimizer>
std::optional<AffineFit> finished(const LinearMap& map, double cost, const Optimizer& optimizer, const char* what,
                                  std::string& why) {
  AffineFit fit{map, cost, static_cast<int>(optimizer.GetCurrentIteration()), optimizer.GetStopConditionDescription()};
  if (!std::isfinite(fit.cost) || std::abs(fit.map.determinant()) < 1e-3) {
    why = std::string(what) + " diverged";
    return std::nullopt;
  }
  return fit;
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
  const LinearMap map = AffineSurfaceCost::to_map(optimizer->GetCurrentPosition(), centre);
  return finished(map, cost(map), *optimizer, "the affine refinement", why);
}

namespace {

// Mutual information: 32 histogram bins (ITK's and FLIRT's usual), a fifth of the mask's cells
// sampled at random with a fixed seed (the same series gives the same fit), two levels.
constexpr unsigned kHistogramBins = 32;
constexpr double kSamplingFraction = 0.1;
constexpr unsigned kIterationsPerLevel = 120;

using Transform = itk::AffineTransform<double, 3>;

Transform::Pointer to_transform(const LinearMap& f) {
  auto t = Transform::New();
  Transform::MatrixType m;
  Transform::OutputVectorType offset;
  for (unsigned r = 0; r < 3; ++r) {
    for (unsigned c = 0; c < 3; ++c) m(r, c) = f.m[r][c];
    offset[r] = f.offset[r];
  }
  t->SetMatrix(m);
  t->SetOffset(offset);
  return t;
}

LinearMap from_transform(const Transform& t) {
  LinearMap f;
  const auto& m = t.GetMatrix();
  const auto& offset = t.GetOffset();
  for (unsigned r = 0; r < 3; ++r) {
    for (unsigned c = 0; c < 3; ++c) f.m[r][c] = m(r, c);
    f.offset[r] = offset[r];
  }
  return f;
}

}  // namespace

std::optional<AffineFit> refine_by_mutual_information(const GridImage& fixed, const GridImage& moving,
                                                      const LinearMap& start, std::string& why) {
  single_threaded();
  using Metric = itk::MattesMutualInformationImageToImageMetricv4<FloatImage, FloatImage>;
  using Optimizer = itk::RegularStepGradientDescentOptimizerv4<double>;
  using Registration = itk::ImageRegistrationMethodv4<FloatImage, FloatImage, Transform>;
  auto fixed_image = make_image<FloatImage>(fixed.values, fixed.grid);
  auto moving_image = make_image<FloatImage>(moving.values, moving.grid);
  auto metric = Metric::New();
  metric->SetNumberOfHistogramBins(kHistogramBins);
  metric->SetUseMovingImageGradientFilter(false);
  metric->SetUseFixedImageGradientFilter(false);
  metric->SetMaximumNumberOfWorkUnits(1);
  if (!fixed.mask.empty()) {
    auto mask_image = make_image<MaskImage>(fixed.mask, fixed.grid);
    auto mask = itk::ImageMaskSpatialObject<3>::New();
    mask->SetImage(mask_image);
    mask->Update();
    metric->SetFixedImageMask(mask);
  }
  auto optimizer = Optimizer::New();
  // Steps of at most 1 mm of physical shift, shrinking by 0.7 at each turn of the gradient, down to
  // 0.005 mm (at 0.5 and 0.02 it stopped after 10 steps, a few mm short, on the template itself).
  optimizer->SetLearningRate(1.0);
  optimizer->SetMinimumStepLength(0.005);
  optimizer->SetRelaxationFactor(0.7);
  optimizer->SetNumberOfIterations(kIterationsPerLevel);
  optimizer->SetReturnBestParametersAndValue(true);
  auto scales = itk::RegistrationParameterScalesFromPhysicalShift<Metric>::New();
  scales->SetMetric(metric);
  optimizer->SetScalesEstimator(scales);
  optimizer->SetDoEstimateLearningRateOnce(false);
  optimizer->SetDoEstimateLearningRateAtEachIteration(false);
  auto registration = Registration::New();
  registration->SetFixedImage(fixed_image);
  registration->SetMovingImage(moving_image);
  registration->SetMetric(metric);
  registration->SetOptimizer(optimizer);
  auto initial = to_transform(start);
  registration->SetInitialTransform(initial);
  registration->InPlaceOn();
  Registration::ShrinkFactorsArrayType shrink(2);
  shrink[0] = 2, shrink[1] = 1;
  Registration::SmoothingSigmasArrayType sigmas(2);
  sigmas[0] = 1, sigmas[1] = 0;
  registration->SetNumberOfLevels(2);
  registration->SetShrinkFactorsPerLevel(shrink);
  registration->SetSmoothingSigmasPerLevel(sigmas);
  registration->SetSmoothingSigmasAreSpecifiedInPhysicalUnits(false);
  registration->SetMetricSamplingStrategy(Registration::MetricSamplingStrategyEnum::RANDOM);
  registration->SetMetricSamplingPercentage(kSamplingFraction);
  registration->MetricSamplingReinitializeSeed(20261207);
  registration->SetNumberOfWorkUnits(1);
  try {
    registration->Update();
  } catch (const itk::ExceptionObject&) {
    why = "the mutual-information refinement failed";
    return std::nullopt;
  }
  return finished(from_transform(*registration->GetModifiableTransform()), optimizer->GetValue(), *optimizer,
                  "the mutual-information refinement", why);
}

}  // namespace radveil::face

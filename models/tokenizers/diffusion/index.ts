export { alphasCumprod, betas, DIVAE_SCHEDULE, inferenceTimesteps, rescaleZeroTerminalSnr, type BetaSchedule, type NoiseScheduleConfig } from './schedule';
export { estimateX0, normalNoiseFrom, sampleDiffusion, type Denoise, type DiffusionDecoderConfig, type DiffusionRunOptions, type NormalNoise, type PredictionType } from './sampler';

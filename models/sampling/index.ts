/** models/sampling: pure generation logic (schedules, steppers, guidance, chain runner). */
export * from './schedules';
export * from './state';
export * from './model';
export * from './guidance';
export * from './plan';
export * from './merge';
export * from './image-steppers';
export * from './autoregressive';
export * from './chain';
export * from './request';

// Modules, losses, optimizers and data loading.

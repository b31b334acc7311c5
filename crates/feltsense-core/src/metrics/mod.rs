//! Affect-dynamics statistics: the building blocks of the insights and of
//! the research `analyze` command. Each function says which figure it is,
//! where its definition comes from, and when it is undefined (`None`):
//! no number is ever made up for too little data.

pub mod compare;
pub mod contexts;
pub mod esm;
pub mod insights;
pub mod items;
pub mod profile;
mod stats;
pub mod trend;

pub use stats::{
    ar1, icc3k, icc3k_rows, lag_pairs, mean, mssd, ols_slope, pearson, relative_sd, sample_sd,
    shannon, Slope,
};

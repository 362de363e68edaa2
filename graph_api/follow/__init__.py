"""Agencies following companies: ``followCompany``, ``unfollowCompany``, ``myAgencyFollows``."""
